package dev.turbocache.server.storage.redis;

import dev.turbocache.server.config.TurboCacheConfig;
import dev.turbocache.server.storage.Artifact;
import dev.turbocache.server.storage.ArtifactBody;
import dev.turbocache.server.storage.ArtifactKey;
import dev.turbocache.server.storage.ArtifactMetadata;
import dev.turbocache.server.storage.ArtifactStore;
import dev.turbocache.server.storage.ArtifactTooLargeException;
import dev.turbocache.server.storage.StoreStats;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandInterruptedException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisReadOnlyException;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A shared cache tier in Redis, standalone or found through Sentinel. Meant for small artifacts
 * (8 MiB by default) that several cache servers share; larger ones skip it.
 *
 * <p><b>Layout.</b> One key per artifact, {@code <keyPrefix><team>:<hash>}, holding one binary
 * string: a small header (magic, metadata length, metadata JSON) followed by the body (see {@link
 * RedisValue}). One {@code SET key value PX ttl} replaces body and metadata together, so readers
 * never see a mix of two versions. {@link #head} reads only the header with {@code GETRANGE}.
 *
 * <p><b>Failing fast.</b> The tier is a cache: a slow or absent Redis must cost a miss, not a
 * stalled request. Every command has a fixed timeout ({@code commandTimeout}); while the connection
 * is down commands are rejected at once instead of queueing; Lettuce reconnects by itself in the
 * background. All failures surface as {@link IOException}, which {@code TieredStore} counts as a
 * miss or a tier error.
 *
 * <p><b>Startup.</b> The constructor never fails because Redis is unreachable: it waits at most
 * {@code connectTimeout} for a first connection and otherwise logs a warning. Until a connection
 * exists every operation fails with an {@link IOException} and a new connection attempt starts in
 * the background, at most once a second.
 *
 * <p><b>Failover and READONLY.</b> With a {@code redis-sentinel://} URI every (re)connect asks the
 * sentinels for the current master, and Sentinel drops client connections when it demotes a
 * master, so a failover normally costs a few failed commands and then heals. If a connection
 * still ends up on a demoted master (stale topology, a master restarted as a replica), writes
 * answer {@code READONLY}: the store then closes that connection, connects afresh (asking the
 * sentinels again) and retries the command once on the new connection.
 *
 * <p><b>Stats.</b> {@code DBSIZE} counts the whole database, not our prefix, so {@link #stats}
 * counts our keys with {@code SCAN} and reads their headers — but only while the database holds at
 * most {@value #STATS_MAX_KEYS} keys (checked first with {@code DBSIZE}, which is O(1)). Beyond
 * that a scan per metrics scrape would cost O(keys) on a shared Redis, so the tier reports {@link
 * StoreStats#UNKNOWN}, as it does when Redis is unreachable.
 *
 * <p>Secrets: neither the password nor a URI that may contain one is ever logged; logs name hosts,
 * ports, database and master name only.
 */
public final class RedisStore implements ArtifactStore {
  private static final Logger LOG = LoggerFactory.getLogger(RedisStore.class);

  /** Keys asked for per SCAN call. */
  static final int SCAN_COUNT = 500;

  /** Up to this many keys in the database, {@link #stats} counts; beyond, it reports UNKNOWN. */
  static final long STATS_MAX_KEYS = 10_000;

  /** Connection attempts (when no connection exists at all) start at most this often. */
  private static final long RETRY_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

  /**
   * Two gauges (entries, bytes) read the stats per scrape; one count serves both when nothing was
   * written through this store in between.
   */
  private static final long STATS_REUSE_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final RedisConnector connector;
  private final String keyPrefix;
  private final ScanArgs scanArgs;
  private final long ttlMillis;
  private final long maxArtifactSize;
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
  private final AtomicLong mutations = new AtomicLong();
  private volatile CountedStats countedStats;

  private record CountedStats(StoreStats stats, long mutations, long atNanos) {}

  public RedisStore(TurboCacheConfig.Redis config) {
    this(
        new LettuceConnector(
            config.uri(), config.password(), config.sentinelPassword(), config.commandTimeout(), config.connectTimeout()),
        config.keyPrefix(),
        config.ttl(),
        config.maxArtifactSize().bytes(),
        config.commandTimeout(),
        config.connectTimeout());
  }

  /**
   * @param ttl entries expire this long after being written; null or zero means never
   */
  RedisStore(
      RedisConnector connector,
      String keyPrefix,
      Duration ttl,
      long maxArtifactSize,
      Duration commandTimeout,
      Duration connectTimeout) {
    this.connector = Objects.requireNonNull(connector, "connector");
    this.keyPrefix = keyPrefix == null ? "" : keyPrefix;
    this.scanArgs = ScanArgs.Builder.matches(escapeGlob(this.keyPrefix) + "*").limit(SCAN_COUNT);
    this.ttlMillis = ttl == null || !ttl.isPositive() ? 0 : ttl.toMillis();
    this.maxArtifactSize = maxArtifactSize;
    this.commandTimeout = Objects.requireNonNull(commandTimeout, "commandTimeout");
    this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
    LOG.info(
        "redis tier at {}: key prefix '{}', ttl {}, artifacts up to {} bytes",
        connector.describe(), this.keyPrefix, ttl, maxArtifactSize);
    CompletableFuture<StatefulRedisConnection<String, byte[]>> first = startConnect();
    try {
      if (first != null) {
        first.get(connectTimeout.toMillis() + commandTimeout.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      // Logged by the attempt itself; the server starts anyway and the tier errors until then.
      LOG.warn("redis tier at {}: not reachable at startup; it counts as a miss until it is",
          connector.describe());
    }
  }

  @Override
  public String name() {
    return "redis";
  }

  @Override
  public boolean admits(long size) {
    return size >= 0 && size <= maxArtifactSize;
  }

  // ---- the contract ----

  @Override
  public Optional<Artifact> get(ArtifactKey key) throws IOException {
    String redisKey = redisKey(key);
    byte[] value = execute("get", c -> c.sync().get(redisKey));
    if (value == null) {
      return Optional.empty();
    }
    try {
      RedisValue.Parsed parsed = RedisValue.parse(key, value);
      long bodyLength = (long) value.length - parsed.bodyOffset();
      if (bodyLength != parsed.metadata().size()) {
        throw new RedisValue.CorruptValueException("body length does not match its metadata");
      }
      // A view into the fetched value: the body is not copied again.
      ArtifactBody body =
          new ArtifactBody.Bytes(value, parsed.bodyOffset(), value.length - parsed.bodyOffset());
      return Optional.of(new Artifact(parsed.metadata(), body));
    } catch (RedisValue.CorruptValueException e) {
      LOG.warn("redis tier: ignoring unreadable value for {}: {}", key, e.getMessage());
      return Optional.empty();
    }
  }

  @Override
  public Optional<ArtifactMetadata> head(ArtifactKey key) throws IOException {
    String redisKey = redisKey(key);
    return readHeader(key, redisKey, probe("head", redisKey));
  }

  @Override
  public void put(ArtifactKey key, ArtifactMetadata metadata, ArtifactBody body)
      throws IOException {
    if (body.size() != metadata.size()) {
      throw new IllegalArgumentException("body size differs from metadata size");
    }
    if (!admits(body.size())) {
      IOException tooLarge =
          new ArtifactTooLargeException(
              body.size(),
              "the redis tier keeps at most " + maxArtifactSize + " bytes per artifact");
      try {
        // An older, smaller version would keep answering for this key.
        delete(key);
      } catch (IOException e) {
        tooLarge.addSuppressed(e);
      }
      throw tooLarge;
    }
    String redisKey = redisKey(key);
    byte[] value = RedisValue.encode(key, metadata, body);
    SetArgs args = ttlMillis > 0 ? SetArgs.Builder.px(ttlMillis) : new SetArgs();
    mutations.incrementAndGet();
    execute("put", c -> c.sync().set(redisKey, value, args));
  }

  @Override
  public boolean delete(ArtifactKey key) throws IOException {
    String redisKey = redisKey(key);
    mutations.incrementAndGet();
    Long removed = execute("delete", c -> c.sync().unlink(redisKey));
    return removed != null && removed > 0;
  }

  /** Unlinks every key under our prefix (and only those), one SCAN page at a time. */
  @Override
  public void clear() throws IOException {
    mutations.incrementAndGet();
    forEachPage("clear", keys -> {
      if (!keys.isEmpty()) {
        String[] batch = keys.toArray(String[]::new);
        execute("clear", c -> c.sync().unlink(batch));
      }
    });
  }

  /** Counted by SCAN while the database is small; see the class comment. */
  @Override
  public StoreStats stats() {
    long generation = mutations.get();
    long now = System.nanoTime();
    CountedStats counted = countedStats;
    if (counted != null
        && counted.mutations() == generation
        && now - counted.atNanos() < STATS_REUSE_NANOS) {
      return counted.stats();
    }
    try {
      Long keys = execute("stats", c -> c.sync().dbsize());
      if (keys == null || keys > STATS_MAX_KEYS) {
        return StoreStats.UNKNOWN;
      }
      long[] totals = new long[2];
      scan((key, metadata) -> {
        totals[0]++;
        totals[1] += metadata.size();
      });
      StoreStats stats = new StoreStats(totals[0], totals[1]);
      countedStats = new CountedStats(stats, generation, now);
      return stats;
    } catch (IOException e) {
      LOG.debug("redis tier: stats unavailable: {}", e.toString());
      return StoreStats.UNKNOWN;
    }
  }

  /**
   * SCAN MATCH {@code <prefix>*} COUNT {@value #SCAN_COUNT}; the headers of each page are read
   * with pipelined GETRANGEs. Keys SCAN returns twice are visited once.
   */
  @Override
  public void scan(ArtifactVisitor visitor) throws IOException {
    Set<String> seen = new HashSet<>();
    forEachPage("scan", keys -> {
      List<String> fresh = keys.stream().filter(seen::add).toList();
      if (fresh.isEmpty()) {
        return;
      }
      List<byte[]> probes = execute("scan", c -> probeAll(c, fresh));
      for (int i = 0; i < fresh.size(); i++) {
        String redisKey = fresh.get(i);
        ArtifactKey key = artifactKey(redisKey);
        Optional<ArtifactMetadata> metadata = readHeader(key, redisKey, probes.get(i));
        if (metadata.isPresent()) {
          visitor.visit(key, metadata.get());
        }
      }
    });
  }

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

  // ---- keys ----

  String redisKey(ArtifactKey key) {
    return keyPrefix + key.team() + ":" + key.hash();
  }

  /**
   * The artifact a key of ours names, or null for keys that only share the prefix: teams cannot
   * contain ':', so {@code <team>:<hash>} after the prefix is unambiguous.
   */
  ArtifactKey artifactKey(String redisKey) {
    if (!redisKey.startsWith(keyPrefix)) {
      return null;
    }
    String rest = redisKey.substring(keyPrefix.length());
    int colon = rest.indexOf(':');
    if (colon < 0 || rest.indexOf(':', colon + 1) >= 0) {
      return null;
    }
    String team = rest.substring(0, colon);
    String hash = rest.substring(colon + 1);
    return ArtifactKey.isValidTeam(team) && ArtifactKey.isValidHash(hash)
        ? new ArtifactKey(team, hash)
        : null;
  }

  /** A literal prefix for a glob pattern: the prefix may contain glob characters. */
  static String escapeGlob(String literal) {
    StringBuilder out = new StringBuilder(literal.length() + 8);
    for (char ch : literal.toCharArray()) {
      if (ch == '*' || ch == '?' || ch == '[' || ch == ']' || ch == '\\') {
        out.append('\\');
      }
      out.append(ch);
    }
    return out.toString();
  }

  // ---- headers ----

  private byte[] probe(String op, String redisKey) throws IOException {
    return execute(op, c -> c.sync().getrange(redisKey, 0, RedisValue.HEADER_PROBE - 1));
  }

  private List<byte[]> probeAll(StatefulRedisConnection<String, byte[]> c, List<String> keys)
      throws Exception {
    RedisAsyncCommands<String, byte[]> async = c.async();
    List<RedisFuture<byte[]>> futures = new ArrayList<>(keys.size());
    for (String key : keys) {
      futures.add(async.getrange(key, 0, RedisValue.HEADER_PROBE - 1));
    }
    List<byte[]> results = new ArrayList<>(keys.size());
    long deadline = System.nanoTime() + commandTimeout.toNanos() * 2;
    for (RedisFuture<byte[]> future : futures) {
      long left = Math.max(1, deadline - System.nanoTime());
      results.add(future.get(left, TimeUnit.NANOSECONDS));
    }
    return results;
  }

  /**
   * The metadata from the first bytes of a value ({@code start}, as GETRANGE returned them). A
   * header longer than the probe is read again in full, bounded by {@link
   * RedisValue#MAX_METADATA}; should the value change in between, the read starts over.
   */
  private Optional<ArtifactMetadata> readHeader(ArtifactKey key, String redisKey, byte[] start)
      throws IOException {
    if (key == null) {
      return Optional.empty();
    }
    byte[] bytes = start;
    int requested = RedisValue.HEADER_PROBE;
    try {
      for (int attempt = 0; attempt < 3; attempt++) {
        if (bytes == null || bytes.length == 0) {
          return Optional.empty(); // GETRANGE of a missing key is an empty string
        }
        int headerLength = RedisValue.headerLength(bytes);
        if (bytes.length >= headerLength) {
          return Optional.of(RedisValue.parse(key, bytes).metadata());
        }
        if (bytes.length < requested) {
          throw new RedisValue.CorruptValueException("value ends inside its header");
        }
        requested = headerLength;
        int end = headerLength - 1;
        bytes = execute("head", c -> c.sync().getrange(redisKey, 0, end));
      }
      throw new RedisValue.CorruptValueException("header kept changing while being read");
    } catch (RedisValue.CorruptValueException e) {
      LOG.warn("redis tier: ignoring unreadable value for {}: {}", key, e.getMessage());
      return Optional.empty();
    }
  }

  // ---- paging ----

  @FunctionalInterface
  private interface PageConsumer {
    void accept(List<String> keys) throws IOException;
  }

  /** Runs a SCAN over our prefix and hands each page's keys of ours to {@code consumer}. */
  private void forEachPage(String op, PageConsumer consumer) throws IOException {
    ScanCursor cursor = ScanCursor.INITIAL;
    while (true) {
      ScanCursor from = cursor;
      KeyScanCursor<String> page = execute(op, c -> c.sync().scan(from, scanArgs));
      List<String> ours = new ArrayList<>(page.getKeys().size());
      for (String key : page.getKeys()) {
        if (artifactKey(key) != null) {
          ours.add(key);
        }
      }
      consumer.accept(ours);
      if (page.isFinished()) {
        return;
      }
      cursor = page;
    }
  }

  // ---- connection handling ----

  @FunctionalInterface
  private interface Command<T> {
    T run(StatefulRedisConnection<String, byte[]> connection) throws Exception;
  }

  /**
   * Runs one command on the shared connection. A READONLY reply means the connection reached a
   * demoted master: replace the connection (asking the sentinels again) and retry once.
   */
  private <T> T execute(String op, Command<T> command) throws IOException {
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

  /** Connections this store has opened so far: for tests of the reconnect paths. */
  long connectionsOpened() {
    return connections.get();
  }
}
