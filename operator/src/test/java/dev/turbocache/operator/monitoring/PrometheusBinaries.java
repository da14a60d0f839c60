package dev.turbocache.operator.monitoring;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Debian package {@code prometheus}: its {@code prometheus} server and {@code promtool}, found on
 * the PATH. Tests that need them fail (not skip) without them, naming the package, since CI installs
 * it ({@code .ci/run}).
 */
public final class PrometheusBinaries {
  private PrometheusBinaries() {}

  public static Path find(String name) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new AssertionError(name + " is not on the PATH: install the Debian package prometheus (apt-get install prometheus;"
        + " .ci/run does)");
  }

  /** What a finished command printed and how it exited. */
  record Result(int exitCode, String output) {}

  /** Runs {@code promtool args...} in {@code dir}; at most two minutes. */
  static Result promtool(Path dir, String... args) {
    List<String> command = new ArrayList<>();
    command.add(find("promtool").toString());
    command.addAll(List.of(args));
    try {
      Path log = Files.createTempFile(dir, "promtool-", ".log");
      Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      try {
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
          throw new AssertionError("promtool " + String.join(" ", args) + " did not finish within two minutes");
        }
      } finally {
        p.destroyForcibly();
      }
      return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
