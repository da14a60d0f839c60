package dev.turbocache.server.testing;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * Which {@code redis-server} the tests run: {@code -Dredis.server=/path} if given, else the one on
 * the PATH (CI installs Debian's), else the binary that the test dependency {@code
 * com.github.codemonstur:embedded-redis} ships for this OS and CPU (Redis 6.2), so the README's
 * test command works on a machine with only a JDK and Node.js. {@code -Dredis.server=bundled}
 * forces the shipped one.
 */
public final class RedisBinary {
  private static final String BUNDLED = "bundled";

  private static volatile String resolved;

  private RedisBinary() {}

  public static String path() {
    String found = resolved;
    if (found == null) {
      synchronized (RedisBinary.class) {
        if (resolved == null) {
          resolved = resolve();
        }
        found = resolved;
      }
    }
    return found;
  }

  private static String resolve() {
    String configured = System.getProperty("redis.server");
    if (BUNDLED.equals(configured)) {
      return extractBundled();
    }
    if (configured != null && !configured.isBlank()) {
      if (!Files.isExecutable(Path.of(configured))) {
        throw new IllegalStateException("-Dredis.server=" + configured + " is not executable");
      }
      return configured;
    }
    String path = System.getenv("PATH");
    if (path != null) {
      for (String entry : path.split(File.pathSeparator)) {
        Path candidate = Path.of(entry, "redis-server");
        if (Files.isExecutable(candidate)) {
          return candidate.toString();
        }
      }
    }
    return extractBundled();
  }

  /** Copies the shipped binary out of the jar once per JVM; the file goes when the JVM exits. */
  private static String extractBundled() {
    String resource = bundledResource();
    try (InputStream in = RedisBinary.class.getResourceAsStream("/" + resource)) {
      if (in == null) {
        throw new IllegalStateException("no " + resource + " on the test classpath (embedded-redis)");
      }
      Path dir = Files.createTempDirectory("turbocache-redis-");
      Path binary = dir.resolve("redis-server");
      Files.copy(in, binary, StandardCopyOption.REPLACE_EXISTING);
      if (!binary.toFile().setExecutable(true)) {
        throw new IOException("cannot make " + binary + " executable");
      }
      binary.toFile().deleteOnExit();
      dir.toFile().deleteOnExit();
      return binary.toString();
    } catch (IOException e) {
      throw new UncheckedIOException("extracting the bundled redis-server failed", e);
    }
  }

  private static String bundledResource() {
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    boolean arm = arch.equals("aarch64") || arch.equals("arm64");
    boolean x64 = arch.equals("amd64") || arch.equals("x86_64");
    if (os.contains("linux") && x64) {
      return "redis-server-6.2.6-v5-linux-amd64";
    }
    if (os.contains("linux") && arm) {
      return "redis-server-6.2.7-linux-arm64";
    }
    if (os.contains("mac") && x64) {
      return "redis-server-6.2.6-v5-darwin-amd64";
    }
    if (os.contains("mac") && arm) {
      return "redis-server-6.2.6-v5-darwin-arm64";
    }
    throw new IllegalStateException("redis-server not found on PATH and none is shipped for " + os
        + "/" + arch + ": install Redis or pass -Dredis.server=/path/to/redis-server");
  }
}
