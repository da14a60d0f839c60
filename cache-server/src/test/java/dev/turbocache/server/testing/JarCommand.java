package dev.turbocache.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One command of the packaged jar run to completion as its own process ({@code java -jar
 * turbocache-server.jar stats ...}) with an isolated environment, as a user types it.
 */
public final class JarCommand {
  private static final Duration TIMEOUT = Duration.ofMinutes(3);

  private JarCommand() {}

  /** What one command did. */
  public record Result(List<String> args, int exitCode, String stdout, String stderr) {
    @Override
    public String toString() {
      return "java -jar turbocache-server.jar " + String.join(" ", args) + " -> exit " + exitCode
          + "\n--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr;
    }
  }

  /**
   * @param dir scratch directory: working directory, HOME, and where output is captured
   * @param env variables besides the isolated HOME and PATH (TURBO_API, TURBO_TOKEN...)
   */
  public static Result run(Path dir, Map<String, String> env, String... args) {
    return runWithInput(dir, env, new byte[0], args);
  }

  /** {@link #run} with {@code stdin} as the command's standard input. */
  public static Result runWithInput(Path dir, Map<String, String> env, byte[] stdin, String... args) {
    List<String> command = new ArrayList<>(List.of(ServerJarProcess.javaCommand(), "-jar",
        ServerJarProcess.jar().toString()));
    command.addAll(List.of(args));
    try {
      Files.createDirectories(dir.resolve("home"));
      Path out = Files.createTempFile(dir, "cli-stdout", ".log");
      Path err = Files.createTempFile(dir, "cli-stderr", ".log");
      ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
          .redirectOutput(out.toFile()).redirectError(err.toFile());
      pb.environment().clear();
      pb.environment().putAll(ServerJarProcess.isolatedEnvironment(dir, env));
      Process p = pb.start();
      try {
        try (var in = p.getOutputStream()) {
          in.write(stdin);
        }
        if (!p.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
          throw new AssertionError("timed out after " + TIMEOUT + ": " + String.join(" ", args)
              + "\n--- stdout ---\n" + Files.readString(out) + "\n--- stderr ---\n" + Files.readString(err));
        }
      } finally {
        if (p.isAlive()) {
          p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
      }
      return new Result(List.of(args), p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
