package dev.turbocache.server.auth;

import dev.turbocache.server.config.ConfigException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small file the server reads again when its content changes (the tokens file, the revoked
 * token ids), and the thread that looks.
 *
 * <p>Polls the file's content rather than using a WatchService: Kubernetes updates a mounted Secret
 * or ConfigMap by swapping a {@code ..data} symlink, which inotify reports on the directory, not on
 * the file path we were given, and timestamps are unreliable through symlinks and on network
 * volumes. Hashing a small file every few seconds is cheap and sees every kind of update.
 *
 * <p>A version that cannot be read or used changes nothing: what the last good version installed
 * stays in force, and the problem is logged once, when it starts. For as long as that lasts the
 * file is {@linkplain #stale() stale}: what is on disk is not what is in force.
 */
public final class WatchedFile implements AutoCloseable {
  public static final String STALE_METRIC = "turbocache.auth.file.stale";

  private static final Logger log = LoggerFactory.getLogger(WatchedFile.class);

  /** What the file's content becomes. */
  public interface Target {
    /**
     * Puts a new version in force, or nothing when it is invalid.
     *
     * @return what is now in force, for the log ("3 token(s)")
     * @throws ConfigException when the content is invalid; its message names the file and never
     *     contains a secret
     */
    String install(byte[] content);

    /** What stays in force when a version cannot be used ("the 3 token(s) loaded before"). */
    String kept();
  }

  private final String kind;
  private final Path file;
  private final Duration interval;
  private final Target target;
  private final Counter successes;
  private final Counter failures;
  private final ScheduledExecutorService scheduler;

  // Guarded by this: the scheduler and reloadNow() callers may race.
  private byte[] lastSeen;
  private boolean lastSeenRefused;
  private String readProblem;
  private volatile boolean stale;

  /**
   * @param kind what the file is, for logs and the thread's name ("tokens file")
   * @param installed the content the target was given at startup
   * @param successes counted per new version put in force
   * @param failures counted per version (or read problem) that could not be used
   */
  public WatchedFile(String kind, Path file, byte[] installed, Duration interval, Target target,
      Counter successes, Counter failures) {
    this.kind = Objects.requireNonNull(kind, "kind");
    this.file = Objects.requireNonNull(file, "file");
    this.interval = Objects.requireNonNull(interval, "interval");
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("the reload interval must be positive");
    }
    this.target = Objects.requireNonNull(target, "target");
    this.successes = successes;
    this.failures = failures;
    this.lastSeen = TokenDigest.sha256(installed);
    String threadName = "turbocache-" + kind.replace(' ', '-') + "-reload";
    this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, threadName);
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Registers the gauge {@value #STALE_METRIC}{@code {file=<file>}}: 1 while {@link #stale()}.
   * The gauge holds only a weak reference: whoever owns this keeps it.
   */
  public WatchedFile gaugeStale(MeterRegistry meters, String file) {
    Gauge.builder(STALE_METRIC, this, w -> w.stale() ? 1 : 0)
        .description("1 while an auth file on disk is not what the server has in force: it cannot be read or"
            + " its current version was refused (the version before stays in force)")
        .tag("file", file)
        .register(meters);
    return this;
  }

  /** Whether the file as it is now cannot be read or was refused, so that an older version is in force. */
  public boolean stale() {
    return stale;
  }

  /** Starts looking every interval. */
  public WatchedFile start() {
    long millis = Math.max(1, interval.toMillis());
    scheduler.scheduleWithFixedDelay(this::poll, millis, millis, TimeUnit.MILLISECONDS);
    return this;
  }

  /**
   * Checks the file once.
   *
   * @return true when a new version was put in force
   */
  public synchronized boolean reloadNow() {
    byte[] content;
    try {
      content = Files.readAllBytes(file);
    } catch (IOException e) {
      String problem = e instanceof NoSuchFileException
          ? "has disappeared"
          : "cannot be read (" + e.getClass().getSimpleName() + ")";
      stale = true;
      if (!problem.equals(readProblem)) {
        readProblem = problem;
        failures.increment();
        log.error("{} {} {}; keeping {}", kind, file, problem, target.kept());
      }
      return false;
    }
    if (readProblem != null) {
      readProblem = null;
      log.info("{} {} is readable again", kind, file);
    }
    byte[] fingerprint = TokenDigest.sha256(content);
    if (MessageDigest.isEqual(fingerprint, lastSeen)) {
      stale = lastSeenRefused;
      return false;
    }
    // Remembered even when invalid, so one bad version is reported once rather than every poll.
    lastSeen = fingerprint;
    lastSeenRefused = true;
    String kept = target.kept();
    String installed;
    try {
      installed = target.install(content);
    } catch (ConfigException e) {
      stale = true;
      failures.increment();
      log.error("{}; keeping {}", e.getMessage(), kept);
      return false;
    }
    lastSeenRefused = false;
    stale = false;
    successes.increment();
    log.info("reloaded {} {}: {}", kind, file, installed);
    return true;
  }

  /** Stops looking; the target keeps what it has. */
  @Override
  public void close() {
    scheduler.shutdownNow();
    try {
      scheduler.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void poll() {
    try {
      reloadNow();
    } catch (RuntimeException e) {
      // An exception escaping a scheduled task would silently cancel all later polls.
      failures.increment();
      log.error("{} {} check failed: {}", kind, file, e.getClass().getSimpleName());
    }
  }
}
