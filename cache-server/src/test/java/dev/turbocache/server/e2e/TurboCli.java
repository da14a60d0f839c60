package dev.turbocache.server.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the pinned turbo binary ({@link TurboInstallation}) in a working directory with a
 * controlled environment. The child does NOT inherit the test JVM's environment: only PATH (turbo
 * runs {@code npm run <task>}), HOME/TMP-style variables and the fixed turbo switches below are
 * passed, so a developer's {@code CI}, {@code TURBO_*} or {@code VERCEL_*} variables cannot leak in.
 * Tests add TURBO_API, TURBO_TOKEN, TURBO_TEAM/TURBO_TEAMID etc. with {@link #env(String, String)}.
 *
 * <p>stdout and stderr go to temp files (no pipe can fill up and block turbo). On timeout the whole
 * process tree (turbo, npm, node) is killed and the result says so.
 */
public final class TurboCli {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(3);

  /** Host variables passed through when set; everything else is dropped. */
  private static final List<String> PASS_THROUGH =
      List.of(
          "PATH", "Path", "PATHEXT", "SystemRoot", "SYSTEMROOT", "ComSpec", "COMSPEC", "WINDIR",
          "TEMP", "TMP", "TMPDIR", "LANG", "LC_ALL", "USERPROFILE", "APPDATA", "LOCALAPPDATA",
          "HOMEDRIVE", "HOMEPATH", "NVM_DIR", "NODE_EXTRA_CA_CERTS", "npm_config_cache", "USER",
          "LOGNAME");

  private static final Pattern SUMMARY_LINE = Pattern.compile("(?m)^\\s*Summary:\\s+(\\S.*?)\\s*$");

  private final Path binary;
  private final Path workDir;
  private final Map<String, String> env = new LinkedHashMap<>();
  private Duration timeout = DEFAULT_TIMEOUT;

  /**
   * @param workDir the repository turbo runs in
   * @param isolatedConfigHome a scratch directory used as XDG config/cache home, so turbo never
   *     reads or writes the developer's global turbo config (stored tokens, login state)
   */
  public TurboCli(Path workDir, Path isolatedConfigHome) {
    this.binary = TurboInstallation.turboBinary();
    this.workDir = workDir;
    for (String name : PASS_THROUGH) {
      String value = System.getenv(name);
      if (value != null) {
        env.put(name, value);
      }
    }
    String home = System.getenv("HOME");
    env.put("HOME", home != null ? home : System.getProperty("user.home"));
    env.put("XDG_CONFIG_HOME", isolatedConfigHome.resolve("config").toString());
    env.put("XDG_CACHE_HOME", isolatedConfigHome.resolve("cache").toString());
    env.put("XDG_DATA_HOME", isolatedConfigHome.resolve("data").toString());
    env.put("TURBO_TELEMETRY_DISABLED", "1");
    env.put("TURBO_TELEMETRY_MESSAGE_DISABLED", "1");
    env.put("DO_NOT_TRACK", "1");
    env.put("TURBO_NO_UPDATE_NOTIFIER", "1");
    env.put("NO_UPDATE_NOTIFIER", "1");
    env.put("TURBO_PRINT_VERSION_DISABLED", "1");
    env.put("TURBO_GLOBAL_WARNING_DISABLED", "1");
    env.put("TURBO_UI", "false");
    env.put("NO_COLOR", "1");
    // CI is deliberately absent (see the class comment)
  }

  /** Sets (or with a null value removes) one environment variable for later runs. */
  public TurboCli env(String name, String value) {
    if (value == null) {
      env.remove(name);
    } else {
      env.put(name, value);
    }
    return this;
  }

  /** TURBO_API, TURBO_TOKEN and TURBO_TEAM in one go (the usual remote-cache triple). */
  public TurboCli remote(String apiUrl, String token, String teamSlug) {
    return env("TURBO_API", apiUrl).env("TURBO_TOKEN", token).env("TURBO_TEAM", teamSlug);
  }

  public TurboCli timeout(Duration timeout) {
    this.timeout = timeout;
    return this;
  }

  public Map<String, String> environment() {
    return Map.copyOf(env);
  }

  public Path workDir() {
    return workDir;
  }

  /** Runs {@code turbo <args>} and waits for it (or for the timeout). */
  public Result run(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(binary.toString());
    cmd.addAll(List.of(args));
    Path out = null;
    Path err = null;
    try {
      out = Files.createTempFile("turbo-out", ".txt");
      err = Files.createTempFile("turbo-err", ".txt");
      ProcessBuilder pb =
          new ProcessBuilder(cmd)
              .directory(workDir.toFile())
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
      pb.environment().clear();
      pb.environment().putAll(env);
      Process p = pb.start();
      boolean finished;
      try {
        finished = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        killTree(p);
        throw new IllegalStateException("interrupted while running " + cmd, e);
      }
      if (!finished) {
        killTree(p);
      }
      return new Result(
          List.copyOf(cmd),
          finished ? p.exitValue() : -1,
          !finished,
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8),
          workDir);
    } catch (IOException e) {
      throw new UncheckedIOException("running " + cmd, e);
    } finally {
      deleteQuietly(out);
      deleteQuietly(err);
    }
  }

  private static java.io.File nullDevice() {
    return new java.io.File(
        System.getProperty("os.name").toLowerCase().contains("win") ? "NUL" : "/dev/null");
  }

  private static void killTree(Process p) {
    // children first, so nothing is re-parented and left running
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
    try {
      p.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    p.descendants().forEach(ProcessHandle::destroyForcibly);
  }

  private static void deleteQuietly(Path p) {
    if (p != null) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException ignored) {
        // temp file; nothing to do
      }
    }
  }

  /** What one turbo invocation did. */
  public record Result(
      List<String> command,
      int exitCode,
      boolean timedOut,
      String stdout,
      String stderr,
      Path workDir) {

    /** stdout then stderr, for "the output mentions X" assertions. */
    public String output() {
      return stdout + "\n" + stderr;
    }

    /** The run summary file named in turbo's "Summary:" line ({@code --summarize}), if any. */
    public Optional<Path> summaryFile() {
      Matcher m = SUMMARY_LINE.matcher(stdout);
      Path found = null;
      while (m.find()) {
        found = Path.of(m.group(1));
      }
      if (found != null && !found.isAbsolute()) {
        found = workDir.resolve(found);
      }
      return Optional.ofNullable(found);
    }

    /** Parses the run summary written by {@code --summarize}; fails if there is none. */
    public TurboSummary summary() {
      Path file =
          summaryFile()
              .orElseThrow(
                  () -> new IllegalStateException("no 'Summary:' line in turbo output:\n" + this));
      return TurboSummary.parse(file);
    }

    /** Parses stdout of {@code --dry=json}. */
    public TurboSummary dryRun() {
      return TurboSummary.parse(stdout);
    }

    /** A readable description for assertion messages. */
    @Override
    public String toString() {
      return "turbo "
          + String.join(" ", command.subList(1, command.size()))
          + " -> "
          + (timedOut ? "TIMED OUT" : "exit " + exitCode)
          + "\n--- stdout ---\n"
          + stdout
          + "\n--- stderr ---\n"
          + stderr;
    }
  }
}
