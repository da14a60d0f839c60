package dev.turbocache.server.storage.redis;

import dev.turbocache.server.artifact.ArtifactKey;
import dev.turbocache.server.artifact.ArtifactMetadata;
import dev.turbocache.server.config.TurboCacheConfig;
import dev.turbocache.server.storage.Artifact;
import dev.turbocache.server.storage.ArtifactBody;
import dev.turbocache.server.storage.SizeLimitedStore;
import dev.turbocache.server.storage.StoreStats;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
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
 * stalled request. Every command has a fixed timeout ({@code commandTimeout}); while there is no
 * connection commands are rejected at once; failover, READONLY replies and reconnecting are the
 * {@link RedisConnection}'s business. All failures surface as {@link IOException}, which the
 * tiered store counts as a miss or a tier error.
 *
 * <p><b>Startup.</b> The constructor never fails because Redis is unreachable: it waits at most
 * {@code connectTimeout} for a first connection and otherwise logs a warning.
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
public final class RedisStore extends SizeLimitedStore {
  private static final Logger LOG = LoggerFactory.getLogger(RedisStore.class);

  /** Keys asked for per SCAN call. */
  static final int SCAN_COUNT = 500;

  /** Up to this many keys in the database, {@link #stats} counts; beyond, it reports UNKNOWN. */
  static final long STATS_MAX_KEYS = 10_000;

  /**
   * Two gauges (entries, bytes) read the stats per scrape; one count serves both when nothing was
   * written through this store in between.
   */
  private static final long STATS_REUSE_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final RedisConnection connection;
  private final String keyPrefix;
  private final ScanArgs scanArgs;
  private final long ttlMillis;
  private final Duration commandTimeout;
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
    super(maxArtifactSize);
    this.keyPrefix = keyPrefix == null ? "" : keyPrefix;
    this.scanArgs = ScanArgs.Builder.matches(escapeGlob(this.keyPrefix) + "*").limit(SCAN_COUNT);
    this.ttlMillis = ttl == null || !ttl.isPositive() ? 0 : ttl.toMillis();
    this.commandTimeout = Objects.requireNonNull(commandTimeout, "commandTimeout");
    LOG.info(
        "redis tier at {}: key prefix '{}', ttl {}, artifacts up to {} bytes",
        connector.describe(), this.keyPrefix, ttl, maxArtifactSize);
    this.connection = new RedisConnection(connector, commandTimeout, connectTimeout);
    connection.awaitFirst();
  }

  @Override
  public String name() {
    return "redis";
  }

  @Override
  public boolean admits(long size) {
    return size >= 0 && size <= maxArtifactSize();
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
  protected void store(ArtifactKey key, ArtifactMetadata metadata, ArtifactBody body)
      throws IOException {
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
    connection.close();
  }

  // ---- keys ----

  String redisKey(ArtifactKey key) {
    return keyPrefix + key.toName(':');
  }

  /**
   * The artifact a key of ours names, or null for keys that only share the prefix: teams cannot
   * contain ':', so {@code <team>:<hash>} after the prefix is unambiguous.
   */
  ArtifactKey artifactKey(String redisKey) {
    if (!redisKey.startsWith(keyPrefix)) {
      return null;
    }
    return ArtifactKey.parse(redisKey.substring(keyPrefix.length()), ':');
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

  /** Connections this store has opened so far: for tests of the reconnect paths. */
  long connectionsOpened() {
    return connection.opened();
  }

  private <T> T execute(String op, RedisConnection.Command<T> command) throws IOException {
    return connection.execute(op, command);
  }
}
