package dev.turbocache.server.storage.redis;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandInterruptedException;
import io.lettuce.core.RedisReadOnlyException;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The redis tier's one shared connection to the current master, and its life: it connects in the
 * background, and while there is none every command fails at once with an {@link IOException}
 * and a new attempt starts, at most once a second (Lettuce itself reconnects a connection that
 * drops).
 *
 * <p><b>Failover and READONLY.</b> With a {@code redis-sentinel://} URI every (re)connect asks the
 * sentinels for the current master, and Sentinel drops client connections when it demotes a
 * master, so a failover normally costs a few failed commands and then heals. If a connection
 * still ends up on a demoted master (stale topology, a master restarted as a replica), writes
 * answer {@code READONLY}: the connection is then closed, a new one made (asking the sentinels
 * again) and the command retried once on it.
 *
 * <p>It logs as the redis tier ({@link RedisStore}'s logger), never a password or a URI that
 * may hold one.
 */
final class RedisConnection implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RedisStore.class);

  /** Connection attempts (when no connection exists at all) start at most this often. */
  private static final long RETRY_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final RedisConnector connector;
  private final Duration commandTimeout;
  private final Duration connectTimeout;

  private final Object lock = new Object();
  /** The shared connection; null until connected, after close, and right after a READONLY. */
  private volatile StatefulRedisConnection<String, byte[]> connection;
  /** Guarded by lock. */
  private CompletableFuture<StatefulRedisConnection<String, byte[]>> connecting;
  /** Guarded by lock: System.nanoTime() before which no new attempt starts. */
  private long nextAttempt = System.nanoTime();
  /** Guarded by lock. */
  private boolean closed;
  /** Guarded by lock: a failed attempt is logged at warn once per outage, then at debug. */
  private boolean failureLogged;
  private volatile String lastConnectError;

  private final AtomicLong connections = new AtomicLong();

  RedisConnection(RedisConnector connector, Duration commandTimeout, Duration connectTimeout) {
    this.connector = Objects.requireNonNull(connector, "connector");
    this.commandTimeout = Objects.requireNonNull(commandTimeout, "commandTimeout");
    this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
  }

  /**
   * Starts the first attempt and waits for it, at most {@code connectTimeout} (and a command's
   * time); an unreachable Redis is logged, not thrown: the server starts anyway.
   */
  void awaitFirst() {
    CompletableFuture<StatefulRedisConnection<String, byte[]>> first = startConnect();
    try {
      if (first != null) {
        first.get(connectTimeout.toMillis() + commandTimeout.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      // Logged by the attempt itself; the tier errors (counts as misses) until then.
      LOG.warn("redis tier at {}: not reachable at startup; it counts as a miss until it is",
          connector.describe());
    }
  }

  @FunctionalInterface
  interface Command<T> {
    T run(StatefulRedisConnection<String, byte[]> connection) throws Exception;
  }

  /**
   * Runs one command on the shared connection. A READONLY reply means the connection reached a
   * demoted master: replace the connection (asking the sentinels again) and retry once.
   */
  <T> T execute(String op, Command<T> command) throws IOException {
    StatefulRedisConnection<String, byte[]> current = connection();
    try {
      return command.run(current);
    } catch (Exception e) {
      if (!isReadOnly(e)) {
        throw failure(op, e);
      }
      LOG.warn("redis tier: {} answered READONLY (a demoted master); reconnecting to {}",
          op, connector.describe());
      replace(current);
    }
    StatefulRedisConnection<String, byte[]> fresh = awaitConnection(op);
    try {
      return command.run(fresh);
    } catch (Exception e) {
      if (isReadOnly(e)) {
        replace(fresh);
      }
      throw failure(op, e);
    }
  }

  /** Whether a failure is a READONLY reply, however Lettuce wrapped it. */
  static boolean isReadOnly(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof RedisReadOnlyException) {
        return true;
      }
      if (t instanceof RedisCommandExecutionException
          && t.getMessage() != null
          && t.getMessage().startsWith("READONLY")) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  private static IOException failure(String op, Exception e) {
    Throwable cause = e;
    while ((cause instanceof ExecutionException || cause instanceof CompletionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof InterruptedException || cause instanceof RedisCommandInterruptedException) {
      Thread.currentThread().interrupt();
      InterruptedIOException interrupted = new InterruptedIOException("redis " + op + " interrupted");
      interrupted.initCause(cause);
      return interrupted;
    }
    if (cause instanceof IOException io) {
      return io;
    }
    if (cause instanceof TimeoutException) {
      return new IOException("redis " + op + " timed out", cause);
    }
    return new IOException("redis " + op + " failed: " + cause.getMessage(), cause);
  }

  /** The shared connection, or an immediate IOException (and a background attempt) without one. */
  private StatefulRedisConnection<String, byte[]> connection() throws IOException {
    StatefulRedisConnection<String, byte[]> current = connection;
    if (current != null) {
      return current;
    }
    startConnect();
    current = connection; // an attempt may have completed at once
    if (current != null) {
      return current;
    }
    throw notConnected();
  }

  private IOException notConnected() {
    String error = lastConnectError;
    return new IOException(
        "redis tier not connected to " + connector.describe()
            + (error == null ? "" : " (last attempt: " + error + ")"));
  }

  /** After a READONLY: waits (bounded) for a fresh connection. */
  private StatefulRedisConnection<String, byte[]> awaitConnection(String op) throws IOException {
    CompletableFuture<StatefulRedisConnection<String, byte[]>> attempt = startConnect();
    if (attempt == null) {
      throw notConnected();
    }
    try {
      return attempt.get(
          connectTimeout.toMillis() + commandTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException | ExecutionException | TimeoutException e) {
      throw failure(op, e);
    }
  }

  /**
   * The connection, or the attempt in flight, or a new attempt; null when closed or when the last
   * attempt failed less than a second ago.
   */
  private CompletableFuture<StatefulRedisConnection<String, byte[]>> startConnect() {
    synchronized (lock) {
      if (closed) {
        return null;
      }
      if (connection != null) {
        return CompletableFuture.completedFuture(connection);
      }
      if (connecting != null) {
        return connecting;
      }
      long now = System.nanoTime();
      if (now - nextAttempt < 0) {
        return null;
      }
      nextAttempt = now + RETRY_INTERVAL_NANOS;
      CompletableFuture<StatefulRedisConnection<String, byte[]>> attempt = connector.connect();
      connecting = attempt;
      // May run at once (under this lock, which is reentrant) if the attempt already finished.
      attempt.whenComplete((c, e) -> connected(attempt, c, e));
      return attempt;
    }
  }

  private void connected(
      CompletableFuture<StatefulRedisConnection<String, byte[]>> attempt,
      StatefulRedisConnection<String, byte[]> opened,
      Throwable error) {
    boolean discard = false;
    synchronized (lock) {
      if (connecting == attempt) {
        connecting = null;
      }
      if (error != null) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null
            ? error.getCause() : error;
        lastConnectError = String.valueOf(cause.getMessage());
        if (!failureLogged) {
          failureLogged = true;
          LOG.warn("redis tier: cannot connect to {}: {}", connector.describe(), cause.toString());
        } else {
          LOG.debug("redis tier: cannot connect to {}: {}", connector.describe(), cause.toString());
        }
        return;
      }
      if (closed || connection != null) {
        discard = true;
      } else {
        connection = opened;
        connections.incrementAndGet();
        failureLogged = false;
        lastConnectError = null;
      }
    }
    if (discard) {
      opened.closeAsync();
    } else {
      LOG.info("redis tier: connected to {}", connector.describe());
    }
  }

  /** Drops {@code stale} as the shared connection (if it still is) and closes it. */
  private void replace(StatefulRedisConnection<String, byte[]> stale) {
    synchronized (lock) {
      if (connection == stale) {
        connection = null;
        nextAttempt = System.nanoTime();
      }
    }
    stale.closeAsync();
  }

  /** Closes the connection and the connector; commands fail from now on. */
  @Override
  public void close() {
    StatefulRedisConnection<String, byte[]> open;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      open = connection;
      connection = null;
    }
    try {
      if (open != null) {
        open.close();
      }
    } catch (RuntimeException e) {
      LOG.debug("redis tier: closing the connection failed: {}", e.toString());
    } finally {
      // Also closes a connection whose attempt is still in flight.
      connector.close();
    }
  }

  /** Connections opened so far: for tests of the reconnect paths. */
  long opened() {
    return connections.get();
  }
}
