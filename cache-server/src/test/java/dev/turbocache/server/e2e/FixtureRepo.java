package dev.turbocache.server.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throw-away copy of {@code src/test/turbo/fixture-monorepo} (npm workspaces, {@code @fixture/a}
 * and {@code @fixture/b} depending on it; each build writes deterministic text, JSON and binary
 * files into nested {@code dist/} directories). It is a git repository with one commit, so turbo
 * sends {@code x-artifact-sha}.
 *
 * <p>No {@code npm install} is needed: turbo 2.11 resolves the workspace graph from package.json
 * files and the root package-lock.json, and the build scripts use only Node built-ins.
 */
public final class FixtureRepo {

  public static final List<String> TASK_IDS = List.of("@fixture/a#build", "@fixture/b#build");
  private static final Set<String> SKIP_ON_COPY = Set.of("node_modules", ".turbo", "dist", ".git");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path root;

  private FixtureRepo(Path root) {
    this.root = root;
  }

  /** Copies the template into {@code dir}, optionally replaces turbo.json, then git init + commit. */
  public static FixtureRepo create(Path dir, String turboJsonOverride) {
    Path template = TurboInstallation.fixtureTemplate();
    copyTree(template, dir);
    FixtureRepo repo = new FixtureRepo(dir);
    if (turboJsonOverride != null) {
      repo.write("turbo.json", turboJsonOverride);
    }
    repo.git("init", "-q");
    repo.git("add", "-A");
    repo.git("commit", "-q", "--no-verify", "-m", "fixture");
    return repo;
  }

  public static FixtureRepo create(Path dir) {
    return create(dir, null);
  }

  public Path root() {
    return root;
  }

  public void write(String relative, String content) {
    try {
      Files.writeString(root.resolve(relative), content, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** git HEAD commit (what turbo sends as x-artifact-sha). */
  public String headSha() {
    return git("rev-parse", "HEAD").strip();
  }

  /**
   * Removes everything that could satisfy a task locally: {@code .turbo/cache}, {@code
   * .turbo/runs}, every {@code dist/} and {@code node_modules/.cache/turbo}. Keeps {@code
   * .turbo/config.json} (written by {@code turbo link}).
   */
  public void wipeLocalState() {
    deleteTree(root.resolve(".turbo/cache"));
    deleteTree(root.resolve(".turbo/runs"));
    deleteTree(root.resolve("node_modules/.cache/turbo"));
    for (Path pkg : packageDirs()) {
      deleteTree(pkg.resolve("dist"));
      deleteTree(pkg.resolve("node_modules/.cache/turbo"));
    }
  }

  /** Every file under every package's dist/, as repo-relative path ("/" separated) to bytes. */
  public Map<String, byte[]> distFiles() {
    Map<String, byte[]> files = new TreeMap<>();
    for (Path pkg : packageDirs()) {
      Path dist = pkg.resolve("dist");
      if (!Files.isDirectory(dist)) {
        continue;
      }
      try (Stream<Path> walk = Files.walk(dist)) {
        for (Path f : walk.filter(Files::isRegularFile).toList()) {
          files.put(root.relativize(f).toString().replace('\\', '/'), Files.readAllBytes(f));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return files;
  }

  /** Hashes of the artifacts in the local cache ({@code .turbo/cache/<hash>.tar.zst}). */
  public List<String> localCacheHashes() {
    Path cache = root.resolve(".turbo/cache");
    if (!Files.isDirectory(cache)) {
      return List.of();
    }
    try (Stream<Path> list = Files.list(cache)) {
      return list.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".tar.zst"))
          .map(n -> n.substring(0, n.length() - ".tar.zst".length()))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The exact bytes turbo uploads for {@code hash} (it PUTs the local .tar.zst verbatim). */
  public byte[] localArtifact(String hash) {
    try {
      return Files.readAllBytes(root.resolve(".turbo/cache/" + hash + ".tar.zst"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The task duration turbo recorded locally for {@code hash} ({@code <hash>-meta.json}); it sends
   * the same number as x-artifact-duration.
   */
  public long localDurationMs(String hash) {
    try {
      JsonNode meta = JSON.readTree(root.resolve(".turbo/cache/" + hash + "-meta.json").toFile());
      return meta.path("duration").asLong();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code .turbo/config.json} (from {@code turbo link}). */
  public JsonNode linkedConfig() {
    try {
      return JSON.readTree(root.resolve(".turbo/config.json").toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private List<Path> packageDirs() {
    try (Stream<Path> list = Files.list(root.resolve("packages"))) {
      return list.filter(Files::isDirectory).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs git in the repo with a fixed identity and no user/system config; returns stdout. */
  public String git(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add("git");
    cmd.addAll(
        List.of(
            "-c", "user.name=TurboCache E2E",
            "-c", "user.email=e2e@turbocache.invalid",
            "-c", "commit.gpgsign=false",
            "-c", "init.defaultBranch=main",
            "-c", "core.autocrlf=false"));
    cmd.addAll(List.of(args));
    try {
      Path out = Files.createTempFile("git-out", ".txt");
      try {
        ProcessBuilder pb =
            new ProcessBuilder(cmd)
                .directory(root.toFile())
                .redirectErrorStream(true)
                .redirectOutput(out.toFile());
        pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        pb.environment().put("GIT_CONFIG_GLOBAL", nullDevice());
        pb.environment().remove("GIT_DIR");
        pb.environment().remove("GIT_WORK_TREE");
        pb.environment().remove("GIT_INDEX_FILE");
        Process p = pb.start();
        p.getOutputStream().close();
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
          p.destroyForcibly();
          throw new IllegalStateException("git timed out: " + cmd);
        }
        String text = Files.readString(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
          throw new IllegalStateException("git failed (" + p.exitValue() + "): " + cmd + "\n" + text);
        }
        return text;
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

  private static String nullDevice() {
    return System.getProperty("os.name").toLowerCase().contains("win") ? "NUL" : "/dev/null";
  }

  private static void copyTree(Path from, Path to) {
    try {
      Files.walkFileTree(
          from,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
                throws IOException {
              if (!dir.equals(from) && SKIP_ON_COPY.contains(dir.getFileName().toString())) {
                return FileVisitResult.SKIP_SUBTREE;
              }
              Files.createDirectories(to.resolve(from.relativize(dir).toString()));
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.copy(file, to.resolve(from.relativize(file).toString()));
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException("copying fixture " + from + " to " + to, e);
    }
  }

  static void deleteTree(Path path) {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path p : walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("deleting " + path, e);
    }
  }
}
