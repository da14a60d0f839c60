package dev.turbocache.server.e2e;

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
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The pinned {@code turbo} CLI used by the end-to-end tests: {@code src/test/turbo/package.json} +
 * {@code package-lock.json} (exactly turbo 2.11.11). When {@code node_modules} is missing or was
 * installed from a different lock file, {@link #turboBinary()} runs {@code npm ci} there, so a fresh
 * machine with only a JDK and Node.js can run the tests.
 *
 * <p>Concurrent installs are excluded twice: a static once-guard for test classes in the same JVM,
 * and an exclusive file lock ({@code src/test/turbo/.install.lock}) for parallel JVMs (surefire
 * forks, two builds in the same checkout).
 */
public final class TurboInstallation {

  /** The version pinned in the lock file; checked against the installed package. */
  public static final String TURBO_VERSION = "2.11.11";

  private static final Duration NPM_CI_TIMEOUT = Duration.ofMinutes(8);
  private static final String MARKER = ".turbocache-e2e-installed";

  private static volatile Path binary;

  private TurboInstallation() {}

  /** System property naming the turbo directory explicitly (overrides the search below). */
  public static final String DIR_PROPERTY = "turbocache.turbo.dir";

  /**
   * {@code cache-server/src/test/turbo}, wherever the tests run from: the {@value #DIR_PROPERTY}
   * system property if set, else the first directory upwards from {@code basedir} (or the working
   * directory) that holds {@code cache-server/src/test/turbo/package.json}, so that other modules
   * of the build (the operator) find it too.
   */
  public static Path turboDir() {
    String explicit = System.getProperty(DIR_PROPERTY);
    if (explicit != null && !explicit.isBlank()) {
      Path dir = Path.of(explicit).toAbsolutePath().normalize();
      if (!Files.isRegularFile(dir.resolve("package.json"))) {
        throw new IllegalStateException("-D" + DIR_PROPERTY + "=" + explicit + " has no package.json");
      }
      return dir;
    }
    Path base = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath().normalize();
    for (Path d = base; d != null; d = d.getParent()) {
      Path dir = d.resolve("cache-server/src/test/turbo");
      if (Files.isRegularFile(dir.resolve("package.json"))) {
        return dir;
      }
    }
    throw new IllegalStateException("cannot find cache-server/src/test/turbo/package.json in " + base + " or above");
  }

  /** The fixture monorepo template that each test copies. */
  public static Path fixtureTemplate() {
    return turboDir().resolve("fixture-monorepo");
  }

  /** Path of the native turbo executable, installing the pinned package first if needed. */
  public static Path turboBinary() {
    Path b = binary;
    if (b != null) {
      return b;
    }
    synchronized (TurboInstallation.class) {
      if (binary == null) {
        binary = installOnce(turboDir());
      }
      return binary;
    }
  }

  private static Path installOnce(Path dir) {
    String lockDigest = sha256(dir.resolve("package-lock.json"));
    try (FileChannel channel =
            FileChannel.open(
                dir.resolve(".install.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock ignored = channel.lock()) {
      Path marker = dir.resolve("node_modules").resolve(MARKER);
      boolean upToDate =
          Files.isRegularFile(marker)
              && Files.readString(marker, StandardCharsets.UTF_8).strip().equals(lockDigest)
              && installedVersionOk(dir)
              && findNativeBinary(dir) != null;
      if (!upToDate) {
        npmCi(dir);
        if (!installedVersionOk(dir)) {
          throw new IllegalStateException(
              "npm ci in " + dir + " did not install turbo " + TURBO_VERSION);
        }
        Files.writeString(marker, lockDigest + "\n", StandardCharsets.UTF_8);
      }
      Path nativeBinary = findNativeBinary(dir);
      if (nativeBinary == null) {
        throw new IllegalStateException(
            "turbo "
                + TURBO_VERSION
                + " is installed in "
                + dir
                + " but no @turbo/<platform> binary for "
                + System.getProperty("os.name")
                + "/"
                + System.getProperty("os.arch")
                + " was found (is the optional dependency in package-lock.json?)");
      }
      return nativeBinary;
    } catch (IOException e) {
      throw new UncheckedIOException("installing turbo in " + dir, e);
    }
  }

  private static boolean installedVersionOk(Path dir) throws IOException {
    Path pkg = dir.resolve("node_modules/turbo/package.json");
    if (!Files.isRegularFile(pkg)) {
      return false;
    }
    String json = Files.readString(pkg, StandardCharsets.UTF_8);
    return json.contains("\"version\": \"" + TURBO_VERSION + "\"")
        || json.contains("\"version\":\"" + TURBO_VERSION + "\"");
  }

  /** {@code node_modules/@turbo/<os>-<arch>/bin/turbo[.exe]}, as the npm shim would pick it. */
  static Path findNativeBinary(Path dir) {
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    String platform =
        os.contains("win") ? "windows" : os.contains("mac") || os.contains("darwin") ? "darwin" : "linux";
    String cpu = arch.contains("aarch64") || arch.contains("arm64") ? "arm64" : "64";
    String exe = platform.equals("windows") ? "turbo.exe" : "turbo";
    Path candidate = dir.resolve("node_modules/@turbo/" + platform + "-" + cpu + "/bin/" + exe);
    return Files.isRegularFile(candidate) ? candidate : null;
  }

  private static void npmCi(Path dir) throws IOException {
    List<String> cmd = new ArrayList<>();
    boolean windows = System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("win");
    if (windows) {
      cmd.addAll(List.of("cmd", "/c"));
    }
    cmd.addAll(List.of("npm", "ci", "--no-audit", "--no-fund"));
    Path log = Files.createTempFile("turbo-npm-ci", ".log");
    try {
      Process p =
          new ProcessBuilder(cmd)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      p.getOutputStream().close();
      boolean done = p.waitFor(NPM_CI_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      if (!done) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        throw new IllegalStateException(
            "npm ci in " + dir + " timed out after " + NPM_CI_TIMEOUT + ":\n" + Files.readString(log));
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            "npm ci in " + dir + " failed (exit " + p.exitValue() + "):\n" + Files.readString(log));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during npm ci", e);
    } finally {
      Files.deleteIfExists(log);
    }
  }

  private static String sha256(Path file) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
