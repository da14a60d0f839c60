package dev.turbocache.operator.contract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The pinned turbo CLI and fixture monorepo of the cache-server end-to-end tests
 * ({@code cache-server/src/test/turbo}), used from the operator module without copying them. It
 * installs turbo the same way as the cache-server's {@code TurboInstallation}: {@code npm ci} under
 * an exclusive lock on {@code .install.lock}, skipped when the marker in {@code node_modules} holds
 * the SHA-256 of {@code package-lock.json}; so both modules share one installation.
 *
 * <p>One instance is one copy of the fixture repository (a git repository, so turbo sends
 * {@code x-artifact-sha}) plus a scratch home, so the developer's turbo login cannot leak in.
 */
final class Turbo {
  private static final String MARKER = ".turbocache-e2e-installed";
  private static final Set<String> SKIP_ON_COPY = Set.of("node_modules", ".turbo", "dist", ".git");
  private static final long TIMEOUT_MINUTES = 3;
  private static Path binary;

  final Path repo;
  private final Path home;

  private Turbo(Path repo, Path home) {
    this.repo = repo;
    this.home = home;
  }

  /** A fresh fixture repository under {@code dir}. */
  static Turbo fixture(Path dir) {
    Path repo = dir.resolve("repo");
    copyTree(turboDir().resolve("fixture-monorepo"), repo);
    run(repo, List.of("git", "init", "-q"), gitEnv());
    run(repo, List.of("git", "add", "-A"), gitEnv());
    run(repo, List.of("git", "-c", "user.name=TurboCache", "-c", "user.email=test@turbocache.invalid",
        "-c", "commit.gpgsign=false", "commit", "-q", "--no-verify", "-m", "fixture"), gitEnv());
    return new Turbo(repo, dir.resolve("home"));
  }

  /** {@code turbo run build} against a remote cache; returns stdout + stderr; fails on a non-zero exit. */
  String build(String api, String token, String team) {
    Map<String, String> env = new LinkedHashMap<>();
    for (String name : List.of("PATH", "LANG", "TMPDIR", "USER")) {
      if (System.getenv(name) != null) {
        env.put(name, System.getenv(name));
      }
    }
    env.put("HOME", home.toString());
    env.put("XDG_CONFIG_HOME", home.resolve("config").toString());
    env.put("XDG_CACHE_HOME", home.resolve("cache").toString());
    env.put("XDG_DATA_HOME", home.resolve("data").toString());
    env.put("TURBO_TELEMETRY_DISABLED", "1");
    env.put("DO_NOT_TRACK", "1");
    env.put("TURBO_NO_UPDATE_NOTIFIER", "1");
    env.put("TURBO_UI", "false");
    env.put("NO_COLOR", "1");
    env.put("TURBO_API", api);
    env.put("TURBO_TOKEN", token);
    env.put("TURBO_TEAM", team);
    return run(repo, List.of(binary().toString(), "run", "build"), env);
  }

  /** Removes every local trace of a previous run: local cache, run logs and build outputs. */
  void wipeLocalState() {
    deleteTree(repo.resolve(".turbo"));
    deleteTree(repo.resolve("node_modules"));
    try (Stream<Path> pkgs = Files.list(repo.resolve("packages"))) {
      for (Path pkg : pkgs.toList()) {
        deleteTree(pkg.resolve("dist"));
        deleteTree(pkg.resolve("node_modules"));
        deleteTree(pkg.resolve(".turbo"));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path turboDir() {
    Path dir = Path.of(System.getProperty("turbocache.turbo.dir", "../cache-server/src/test/turbo")).toAbsolutePath().normalize();
    if (!Files.isRegularFile(dir.resolve("package-lock.json"))) {
      throw new IllegalStateException("no package-lock.json in " + dir);
    }
    return dir;
  }

  /** The native turbo binary, installed with {@code npm ci} first when needed. */
  static synchronized Path binary() {
    if (binary != null) {
      return binary;
    }
    Path dir = turboDir();
    Path nativeBinary = dir.resolve("node_modules/@turbo/linux-" + (System.getProperty("os.arch").contains("aarch64") ? "arm64" : "64") + "/bin/turbo");
    try (FileChannel channel = FileChannel.open(dir.resolve(".install.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock ignored = channel.lock()) {
      String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(dir.resolve("package-lock.json"))));
      Path marker = dir.resolve("node_modules").resolve(MARKER);
      boolean upToDate = Files.isRegularFile(marker) && Files.readString(marker).strip().equals(digest) && Files.isRegularFile(nativeBinary);
      if (!upToDate) {
        run(dir, List.of("npm", "ci", "--no-audit", "--no-fund"), null);
        Files.writeString(marker, digest + "\n", StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    if (!Files.isRegularFile(nativeBinary)) {
      throw new IllegalStateException("npm ci did not install " + nativeBinary);
    }
    binary = nativeBinary;
    return binary;
  }

  private static Map<String, String> gitEnv() {
    Map<String, String> env = new LinkedHashMap<>(System.getenv());
    env.keySet().removeIf(k -> k.startsWith("GIT_"));
    env.put("GIT_CONFIG_NOSYSTEM", "1");
    env.put("GIT_CONFIG_GLOBAL", "/dev/null");
    return env;
  }

  /** Runs a command to completion (killing its process tree after the timeout); returns its output. */
  private static String run(Path dir, List<String> command, Map<String, String> env) {
    try {
      Path out = Files.createTempFile("turbo-contract", ".log");
      try {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
            .redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        if (env != null) {
          pb.environment().clear();
          pb.environment().putAll(env);
        }
        Process p = pb.start();
        boolean done = p.waitFor(TIMEOUT_MINUTES * (command.get(0).equals("npm") ? 3 : 1), TimeUnit.MINUTES);
        if (!done) {
          p.descendants().forEach(ProcessHandle::destroyForcibly);
          p.destroyForcibly();
          p.waitFor(30, TimeUnit.SECONDS);
        }
        String output = Files.readString(out, StandardCharsets.UTF_8);
        if (!done || p.exitValue() != 0) {
          throw new AssertionError(command + (done ? " exited " + p.exitValue() : " timed out") + ":\n" + output);
        }
        return output;
      } finally {
        Files.deleteIfExists(out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void copyTree(Path from, Path to) {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path rel = from.relativize(p);
        if (rel.toString().isEmpty()) {
          Files.createDirectories(to);
          continue;
        }
        boolean skipped = false;
        for (Path part : rel) {
          skipped |= SKIP_ON_COPY.contains(part.toString());
        }
        if (skipped) {
          continue;
        }
        Path target = to.resolve(rel.toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteTree(Path path) {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<String> lines(String output, String marker) {
    List<String> out = new ArrayList<>();
    for (String line : output.split("\\R")) {
      if (line.contains(marker)) {
        out.add(line.strip());
      }
    }
    return out;
  }
}
