package dev.turbocache.server.auth;

import io.micrometer.core.instrument.Counter;
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
 * Keeps a {@link TokenRegistry} in step with the tokens file.
 *
 * <p>Polls the file's content rather than using a WatchService: Kubernetes updates a mounted Secret
 * by swapping a {@code ..data} symlink, which inotify reports on the directory, not on the file
 * path we were given, and timestamps are unreliable through symlinks and on network volumes.
 * Hashing a small file every few seconds is cheap and sees every kind of update.
 *
 * <p>A file that is invalid or gone never removes access: the previous tokens stay in force until a
 * valid file appears, because locking every build out over a bad edit is worse than keeping a
 * token a little longer.
 */
public final class TokensFileWatcher implements AutoCloseable {
  public static final String RELOADS_METRIC = "turbocache.auth.reloads";

  private static final Logger log = LoggerFactory.getLogger(TokensFileWatcher.class);

  private final Path file;
  private final TokenRegistry registry;
  private final Duration interval;
  private final Counter successes;
  private final Counter failures;
  private final ScheduledExecutorService scheduler;

  // Guarded by this: the scheduler and reloadNow() callers may race.
  private byte[] lastSeen;
  private String readProblem;

  /**
   * Loads the file into the registry; does not poll until {@link #start()}.
   *
   * @throws InvalidTokensFileException when the file is missing or invalid, so that the server
   *     refuses to start rather than starting with no tokens
   */
  public TokensFileWatcher(
      Path file, TokenRegistry registry, Duration reloadInterval, MeterRegistry meters) {
    this.file = Objects.requireNonNull(file, "file");
    this.registry = Objects.requireNonNull(registry, "registry");
    this.interval = Objects.requireNonNull(reloadInterval, "reloadInterval");
    if (reloadInterval.isNegative() || reloadInterval.isZero()) {
      throw new IllegalArgumentException("reloadInterval must be positive");
    }
    this.successes = reloadCounter(meters, "success");
    this.failures = reloadCounter(meters, "failure");

    byte[] content = TokensFile.readBytes(file);
    registry.replace(TokensFile.parse(content, file.toString()));
    this.lastSeen = TokenDigest.sha256(content);
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "turbocache-tokens-reload");
              t.setDaemon(true);
              return t;
            });
  }

  /** Starts polling every reloadInterval. */
  public TokensFileWatcher start() {
    long millis = Math.max(1, interval.toMillis());
    scheduler.scheduleWithFixedDelay(this::poll, millis, millis, TimeUnit.MILLISECONDS);
    return this;
  }

  /**
   * Checks the file once.
   *
   * @return true when a new token set was installed
   */
  public synchronized boolean reloadNow() {
    byte[] content;
    try {
      content = Files.readAllBytes(file);
    } catch (IOException e) {
      String problem =
          e instanceof NoSuchFileException
              ? "has disappeared"
              : "cannot be read (" + e.getClass().getSimpleName() + ")";
      // Reported when the problem starts, not on every poll while it lasts.
      if (!problem.equals(readProblem)) {
        readProblem = problem;
        failures.increment();
        log.error("tokens file {} {}; keeping the {} token(s) loaded before", file, problem,
            registry.current().size());
      }
      return false;
    }
    if (readProblem != null) {
      readProblem = null;
      log.info("tokens file {} is readable again", file);
    }
    byte[] fingerprint = TokenDigest.sha256(content);
    if (MessageDigest.isEqual(fingerprint, lastSeen)) {
      return false;
    }
    // Remembered even when invalid, so one bad version is reported once rather than every poll.
    lastSeen = fingerprint;
    TokenSet next;
    try {
      next = TokensFile.parse(content, file.toString());
    } catch (InvalidTokensFileException e) {
      failures.increment();
      log.error("{}; keeping the {} token(s) loaded before", e.getMessage(),
          registry.current().size());
      return false;
    }
    registry.replace(next);
    successes.increment();
    log.info("reloaded tokens file {}: {} token(s)", file, next.size());
    return true;
  }

  /** Stops polling; the registry keeps the tokens it has. */
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
      log.error("tokens file {} check failed: {}", file, e.getClass().getSimpleName());
    }
  }

  private static Counter reloadCounter(MeterRegistry meters, String result) {
    return Counter.builder(RELOADS_METRIC)
        .description("Tokens file reloads after a change, by outcome")
        .tag("result", result)
        .register(meters);
  }
}
