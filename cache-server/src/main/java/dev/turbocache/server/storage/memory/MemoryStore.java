package dev.turbocache.server.storage.memory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.turbocache.server.artifact.ArtifactKey;
import dev.turbocache.server.artifact.ArtifactMetadata;
import dev.turbocache.server.config.TurboCacheConfig;
import dev.turbocache.server.storage.Artifact;
import dev.turbocache.server.storage.ArtifactBody;
import dev.turbocache.server.storage.BodyTransfer;
import dev.turbocache.server.storage.SizeLimitedStore;
import dev.turbocache.server.storage.StoreStats;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * The hot tier: artifacts on the heap in a Caffeine cache bounded by total bytes. Caffeine's
 * admission policy (W-TinyLFU) favours frequently read artifacts, which suits a small tier in
 * front of a large one.
 *
 * <p>Stored arrays are never handed out for writing: bodies from {@link #get} are {@link
 * ArtifactBody.Bytes} over the cached array, and callers treat those arrays as read-only.
 */
public final class MemoryStore extends SizeLimitedStore {

  /**
   * Rough per-entry heap cost beyond the body (entry, key, metadata strings), so that a flood of
   * empty artifacts is still bounded.
   */
  static final int ENTRY_OVERHEAD = 256;

  /** Java arrays stop a little below Integer.MAX_VALUE. */
  private static final long MAX_ARRAY = Integer.MAX_VALUE - 16;

  private record Entry(byte[] body, ArtifactMetadata metadata) {}

  private final Cache<ArtifactKey, Entry> cache;
  private final long maxSize;
  private final boolean storeUploads;

  public MemoryStore(TurboCacheConfig.Memory config) {
    this(
        config.maxSize().bytes(),
        config.maxArtifactSize().bytes(),
        config.ttl(),
        Ticker.systemTicker(),
        config.storeUploads());
  }

  /** A tier that stores uploads (see {@link #storesUploads()}). */
  public MemoryStore(long maxSize, long maxArtifactSize, Duration ttl, Ticker ticker) {
    this(maxSize, maxArtifactSize, ttl, ticker, true);
  }

  /**
   * @param ttl entries expire this long after being written; null or zero means never
   * @param ticker time source for expiry, replaceable so tests need not sleep
   * @param storeUploads see {@link #storesUploads()}
   */
  public MemoryStore(
      long maxSize, long maxArtifactSize, Duration ttl, Ticker ticker, boolean storeUploads) {
    super(maxArtifactSize);
    this.maxSize = maxSize;
    this.storeUploads = storeUploads;
    Caffeine<ArtifactKey, Entry> builder =
        Caffeine.newBuilder()
            .maximumWeight(maxSize)
            .weigher((ArtifactKey key, Entry entry) -> weight(entry.body().length))
            // Maintenance on the calling thread: eviction takes effect before put returns
            // instead of whenever the common pool gets to it.
            .executor(Runnable::run)
            .ticker(ticker);
    if (ttl != null && ttl.isPositive()) {
      builder.expireAfterWrite(ttl);
    }
    this.cache = builder.build();
  }

  private static int weight(int bodyLength) {
    return (int) Math.min(Integer.MAX_VALUE, (long) bodyLength + ENTRY_OVERHEAD);
  }

  @Override
  public String name() {
    return "memory";
  }

  @Override
  public boolean admits(long size) {
    // Counting the overhead keeps an admitted entry from evicting itself straight away.
    return size <= maxArtifactSize() && size + ENTRY_OVERHEAD <= maxSize && size <= MAX_ARRAY;
  }

  @Override
  public Optional<Artifact> get(ArtifactKey key) {
    Entry entry = cache.getIfPresent(key);
    if (entry == null) {
      return Optional.empty();
    }
    return Optional.of(new Artifact(entry.metadata(), new ArtifactBody.Bytes(entry.body())));
  }

  @Override
  public boolean storesUploads() {
    return storeUploads;
  }

  /** A Caffeine lookup and a view of the stored array: nothing that blocks. */
  @Override
  public Optional<Artifact> getWithoutBlocking(ArtifactKey key) {
    return get(key);
  }

  @Override
  public boolean putsWithoutWaiting() {
    return true;
  }

  @Override
  public boolean knowsMissesWithoutBlocking() {
    return true;
  }

  @Override
  public boolean absentWithoutBlocking(ArtifactKey key) {
    return cache.getIfPresent(key) == null;
  }

  @Override
  public Optional<ArtifactMetadata> head(ArtifactKey key) {
    return Optional.ofNullable(cache.getIfPresent(key)).map(Entry::metadata);
  }

  @Override
  protected void store(ArtifactKey key, ArtifactMetadata metadata, ArtifactBody body)
      throws IOException {
    cache.put(key, new Entry(BodyTransfer.toBytes(body), metadata));
  }

  @Override
  public boolean delete(ArtifactKey key) {
    return cache.asMap().remove(key) != null;
  }

  @Override
  public void clear() {
    cache.invalidateAll();
  }

  /** Counts body bytes only, like every other store; the overhead is an eviction heuristic. */
  @Override
  public StoreStats stats() {
    long entries = 0;
    long bytes = 0;
    for (Entry entry : cache.asMap().values()) {
      entries++;
      bytes += entry.body().length;
    }
    return new StoreStats(entries, bytes);
  }

  /** Runs pending maintenance (eviction, expiry) now; lets tests observe a settled cache. */
  void cleanUp() {
    cache.cleanUp();
  }

  @Override
  public void close() {
    cache.invalidateAll();
  }

  @Override
  public void scan(ArtifactVisitor visitor) throws IOException {
    for (var e : cache.asMap().entrySet()) {
      visitor.visit(e.getKey(), e.getValue().metadata());
    }
  }
}
