package dev.turbocache.server.storage;

import dev.turbocache.server.storage.TierMetrics.Lookup;
import dev.turbocache.server.storage.TierMetrics.Op;
import dev.turbocache.server.storage.writeback.WriteBackQueue;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ordered tiers, fastest first, behind the one {@link ArtifactStore} contract.
 *
 * <p>Reads go top-down and a failing tier counts as a miss, so one broken tier never fails a
 * request another tier can serve. A hit in a lower tier is copied into the tiers above that admit
 * its size. Writes go bottom-up: the last tier that admits the size (the durable one) first, and
 * only if it succeeds the faster tiers above it; a failed upload therefore never becomes visible
 * in a cache tier while the durable tier still holds the previous version.
 *
 * <p>A tier above the durable one that does not {@linkplain ArtifactStore#storesUploads() store
 * uploads} (the memory tier by default) only drops its older version on a write and fills from
 * promotions.
 *
 * <p>With a {@link WriteBackQueue}, an upload whose durable tier is the last tier is acknowledged
 * once it is queued on local disk and written to the tiers above; the queue uploads it later and
 * serves reads of it meanwhile. A full queue falls back to writing through.
 */
public final class TieredStore implements ArtifactStore {
  private static final Logger LOG = LoggerFactory.getLogger(TieredStore.class);

  private record Tier(ArtifactStore store, TierMetrics metrics) {
    String name() {
      return store.name();
    }
  }

  /** Readiness asks the durable tier about this key: any answer, hit or miss, proves it works. */
  static final ArtifactKey PROBE = new ArtifactKey("turbocache-probe", "0");

  private final List<Tier> tiers;
  private final BodySpooler spooler;
  private final WriteBackQueue writeBack;

  /**
   * @param stores the tiers, top (fastest) first
   * @param spooler turns one-shot bodies from remote tiers into bodies every tier can read
   */
  public TieredStore(List<? extends ArtifactStore> stores, BodySpooler spooler, MeterRegistry registry) {
    this(stores, spooler, registry, null);
  }

  /**
   * @param writeBack background uploads to the last tier, or null for write-through
   */
  public TieredStore(List<? extends ArtifactStore> stores, BodySpooler spooler, MeterRegistry registry,
      WriteBackQueue writeBack) {
    if (stores.isEmpty()) {
      throw new IllegalArgumentException("at least one tier is required");
    }
    List<Tier> list = new ArrayList<>(stores.size());
    for (ArtifactStore store : stores) {
      list.add(new Tier(store, new TierMetrics(store, registry)));
    }
    this.tiers = List.copyOf(list);
    this.spooler = spooler;
    this.writeBack = writeBack;
    if (writeBack != null) {
      Tier durable = tiers.getLast();
      try {
        writeBack.start((key, metadata, body) -> {
          IOException failure = writeOrFailure(durable, key, metadata, body);
          if (failure != null) {
            throw failure;
          }
        });
      } catch (IOException e) {
        throw new java.io.UncheckedIOException("write-back queue could not be resumed", e);
      }
    }
  }

  @Override
  public String name() {
    return "tiered";
  }

  /** The tiers, top first: for admin views and per-tier operations. */
  public List<ArtifactStore> tiers() {
    return tiers.stream().map(Tier::store).toList();
  }

  @Override
  public boolean admits(long size) {
    return tiers.stream().anyMatch(t -> t.store().admits(size));
  }

  @Override
  public Optional<Artifact> get(ArtifactKey key) {
    for (int i = 0; i < tiers.size(); i++) {
      Tier tier = tiers.get(i);
      if (i == tiers.size() - 1 && writeBack != null) {
        Optional<Artifact> queued = queued(key);
        if (queued.isPresent()) {
          promote(key, queued.get(), i);
          return queued;
        }
      }
      Artifact artifact;
      long start = System.nanoTime();
      try {
        artifact = tier.store().get(key).orElse(null);
        if (artifact != null && artifact.body() instanceof ArtifactBody.Streamed streamed
            && admittedAbove(i, streamed.size())) {
          // One-shot bodies must become re-readable before they can go to several places.
          artifact = new Artifact(artifact.metadata(), spooler.spool(streamed));
        }
      } catch (TierUnavailableException e) {
        tier.metrics().lookup(Lookup.SKIPPED);
        continue;
      } catch (IOException | RuntimeException e) {
        tier.metrics().lookup(Lookup.ERROR);
        tier.metrics().failed(Op.GET);
        warn("get", tier, key, e);
        continue;
      } finally {
        tier.metrics().timeSince(Op.GET, start);
      }
      if (artifact == null) {
        tier.metrics().lookup(Lookup.MISS);
        continue;
      }
      tier.metrics().lookup(Lookup.HIT);
      tier.metrics().read(artifact.metadata().size());
      promote(key, artifact, i);
      return Optional.of(artifact);
    }
    return Optional.empty();
  }

  /**
   * A hit of the top tier when it answers without blocking (the memory tier). Counted as a hit
   * of that tier; a miss is not counted here, since the caller goes on to {@link #get}.
   */
  @Override
  public Optional<Artifact> getWithoutBlocking(ArtifactKey key) {
    if (writeBack != null && tiers.size() == 1) {
      return Optional.empty(); // the queue may hold a newer version than the only tier
    }
    Tier top = tiers.getFirst();
    long start = System.nanoTime();
    Optional<Artifact> hit = top.store().getWithoutBlocking(key);
    hit.ifPresent(a -> {
      top.metrics().lookup(Lookup.HIT);
      top.metrics().read(a.metadata().size());
      top.metrics().timeSince(Op.GET, start);
    });
    return hit;
  }

  /** A queued upload not yet in the durable tier; a queue read error just means "ask the tier". */
  private Optional<Artifact> queued(ArtifactKey key) {
    try {
      return writeBack.get(key);
    } catch (IOException | RuntimeException e) {
      LOG.warn("write-back queue: reading {} failed: {}", key, e.toString());
      return Optional.empty();
    }
  }

  private boolean admittedAbove(int index, long size) {
    for (int j = 0; j < index; j++) {
      if (tiers.get(j).store().admits(size)) {
        return true;
      }
    }
    return false;
  }

  /** Best effort: a promotion that fails costs a future hit, never this one. */
  private void promote(ArtifactKey key, Artifact artifact, int hitIndex) {
    for (int j = hitIndex - 1; j >= 0; j--) {
      Tier upper = tiers.get(j);
      if (upper.store().admits(artifact.metadata().size())
          && write(upper, key, artifact.metadata(), artifact.body())) {
        upper.metrics().promoted();
      }
    }
  }

  @Override
  public Optional<ArtifactMetadata> head(ArtifactKey key) {
    for (Tier tier : tiers) {
      if (tier == tiers.getLast() && writeBack != null) {
        Optional<ArtifactMetadata> queued = writeBack.head(key);
        if (queued.isPresent()) {
          return queued;
        }
      }
      long start = System.nanoTime();
      try {
        Optional<ArtifactMetadata> found = tier.store().head(key);
        tier.metrics().lookup(found.isPresent() ? Lookup.HIT : Lookup.MISS);
        if (found.isPresent()) {
          return found;
        }
      } catch (TierUnavailableException e) {
        tier.metrics().lookup(Lookup.SKIPPED);
      } catch (IOException | RuntimeException e) {
        tier.metrics().lookup(Lookup.ERROR);
        tier.metrics().failed(Op.HEAD);
        warn("head", tier, key, e);
      } finally {
        tier.metrics().timeSince(Op.HEAD, start);
      }
    }
    return Optional.empty();
  }

  /**
   * Writes into every tier that admits the size and stores uploads. Fails when the durable tier
   * (the last one that admits the size) fails, with {@link ArtifactTooLargeException} when no tier admits it.
   */
  @Override
  public void put(ArtifactKey key, ArtifactMetadata metadata, ArtifactBody body)
      throws IOException {
    long size = body.size();
    if (size != metadata.size()) {
      throw new IllegalArgumentException("body size differs from metadata size");
    }
    List<Tier> admitting = new ArrayList<>();
    for (Tier tier : tiers) {
      if (tier.store().admits(size)) {
        admitting.add(tier);
      } else {
        // An older, smaller version there would keep answering for this key.
        deleteQuietly(tier, key);
      }
    }
    if (admitting.isEmpty()) {
      throw new ArtifactTooLargeException(size, "no storage tier admits it");
    }
    ArtifactBody readable = body;
    if (body instanceof ArtifactBody.Streamed streamed && admitting.size() > 1) {
      readable = spooler.spool(streamed);
    }
    try {
      Tier durable = admitting.getLast();
      if (writeBack != null && durable == tiers.getLast()) {
        if (queue(key, metadata, readable)) {
          writeAbove(admitting, key, metadata, readable);
          return;
        }
        // Written through below: a stale queued version must not be uploaded over it later.
        writeBack.discard(key);
      }
      IOException failure = writeOrFailure(durable, key, metadata, readable);
      if (failure != null) {
        throw failure;
      }
      writeAbove(admitting, key, metadata, readable);
    } finally {
      if (readable != body) {
        readable.close();
      }
    }
  }

  /**
   * Queues a write-back upload. A queue that cannot take it (full, or its disk is) means writing
   * through instead: the durable tier may well be able to take it.
   */
  private boolean queue(ArtifactKey key, ArtifactMetadata metadata, ArtifactBody body) {
    try {
      return writeBack.offer(key, metadata, body);
    } catch (IOException e) {
      LOG.warn("write-back queue could not take {}, writing it through: {}", key, e.toString());
      writeBack.countFallback();
      return false;
    }
  }

  /**
   * Every admitting tier but the durable one, bottom-up; failures leave no stale version, and
   * tiers that fill from reads only just drop theirs.
   */
  private void writeAbove(
      List<Tier> admitting, ArtifactKey key, ArtifactMetadata metadata, ArtifactBody readable) {
    for (int i = admitting.size() - 2; i >= 0; i--) {
      Tier tier = admitting.get(i);
      if (!tier.store().storesUploads()) {
        deleteQuietly(tier, key);
      } else if (!write(tier, key, metadata, readable)) {
        // It may still hold the previous version, which is now stale.
        deleteQuietly(tier, key);
      }
    }
  }

  private boolean write(Tier tier, ArtifactKey key, ArtifactMetadata metadata, ArtifactBody body) {
    return writeOrFailure(tier, key, metadata, body) == null;
  }

  /** Writes into one tier; returns the failure instead of throwing, after logging and counting. */
  private IOException writeOrFailure(
      Tier tier, ArtifactKey key, ArtifactMetadata metadata, ArtifactBody body) {
    long start = System.nanoTime();
    try {
      tier.store().put(key, metadata, body);
      tier.metrics().written(body.size());
      tier.metrics().full(false);
      return null;
    } catch (TierUnavailableException e) {
      return e;
    } catch (StorageFullException e) {
      // Every write fails this way until space returns; the gauge says so, not a warning each.
      tier.metrics().failed(Op.PUT);
      tier.metrics().full(true);
      return e;
    } catch (IOException e) {
      tier.metrics().failed(Op.PUT);
      warn("put", tier, key, e);
      return e;
    } catch (RuntimeException e) {
      tier.metrics().failed(Op.PUT);
      warn("put", tier, key, e);
      return new IOException("tier " + tier.name() + " failed to store " + key, e);
    } finally {
      tier.metrics().timeSince(Op.PUT, start);
    }
  }

  /**
   * Deletes from every tier, even after one fails, and then reports the failure: an artifact left
   * in any tier would still be served.
   */
  @Override
  public boolean delete(ArtifactKey key) throws IOException {
    boolean deleted = writeBack != null && writeBack.discard(key);
    IOException failure = null;
    for (Tier tier : tiers) {
      long start = System.nanoTime();
      try {
        deleted |= tier.store().delete(key);
      } catch (IOException | RuntimeException e) {
        tier.metrics().failed(Op.DELETE);
        warn("delete", tier, key, e);
        failure = chain(failure, e);
      } finally {
        tier.metrics().timeSince(Op.DELETE, start);
      }
    }
    if (failure != null) {
      throw failure;
    }
    return deleted;
  }

  private void deleteQuietly(Tier tier, ArtifactKey key) {
    try {
      delete(tier, key);
    } catch (IOException | RuntimeException e) {
      tier.metrics().failed(Op.DELETE);
      warn("delete", tier, key, e);
    }
  }

  private static void delete(Tier tier, ArtifactKey key) throws IOException {
    long start = System.nanoTime();
    try {
      tier.store().delete(key);
    } finally {
      tier.metrics().timeSince(Op.DELETE, start);
    }
  }

  @Override
  public void clear() throws IOException {
    if (writeBack != null) {
      writeBack.clear();
    }
    IOException failure = null;
    for (Tier tier : tiers) {
      try {
        tier.store().clear();
      } catch (IOException | RuntimeException e) {
        tier.metrics().failed(Op.CLEAR);
        LOG.warn("tier {}: clear failed: {}", tier.name(), e.toString());
        failure = chain(failure, e);
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private static IOException chain(IOException first, Exception next) {
    if (first == null) {
      return next instanceof IOException io ? io : new IOException(next.getMessage(), next);
    }
    first.addSuppressed(next);
    return first;
  }

  /**
   * The bottom tier's stats: it is the durable, largest tier and holds (nearly) everything the
   * upper tiers hold, so its numbers are what "the cache" holds. Per-tier numbers come from
   * {@link #tiers()} and the gauges.
   */
  @Override
  public StoreStats stats() {
    return tiers.getLast().store().stats();
  }

  /**
   * Every artifact held by any tier, once: a key found in several tiers is reported with the
   * metadata of the highest tier that holds it.
   */
  @Override
  public void scan(ArtifactVisitor visitor) throws IOException {
    Set<ArtifactKey> seen = new HashSet<>();
    if (writeBack != null) {
      writeBack.scan((key, metadata) -> {
        if (seen.add(key)) {
          visitor.visit(key, metadata);
        }
      });
    }
    for (Tier tier : tiers) {
      tier.store().scan((key, metadata) -> {
        if (seen.add(key)) {
          visitor.visit(key, metadata);
        }
      });
    }
  }

  /**
   * The teams any tier holds artifacts of. A tier that cannot answer is left out rather than
   * failing the list: this feeds {@code turbo link}, and the other tiers still know most teams.
   */
  @Override
  public Set<String> teams() {
    Set<String> teams = new TreeSet<>();
    for (Tier tier : tiers) {
      try {
        teams.addAll(tier.store().teams());
      } catch (IOException | RuntimeException e) {
        LOG.warn("tier {}: listing teams failed: {}", tier.name(), e.toString());
      }
    }
    return teams;
  }

  /**
   * Whether uploads can be accepted: the durable tier answers (checked with a probe lookup, which
   * also lets an open circuit breaker test the tier again), or write-back has room to queue.
   */
  public boolean readyForWrites() {
    if (writeBack != null && writeBack.hasRoomFor(0)) {
      return true;
    }
    try {
      tiers.getLast().store().head(PROBE);
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** Waits up to {@code timeout} for queued uploads to reach the durable tier (shutdown). */
  public boolean drain(java.time.Duration timeout) throws InterruptedException {
    return writeBack == null || writeBack.drain(timeout);
  }

  @Override
  public void close() {
    if (writeBack != null) {
      writeBack.close();
    }
    for (Tier tier : tiers) {
      try {
        tier.store().close();
      } catch (RuntimeException e) {
        LOG.warn("tier {}: close failed: {}", tier.name(), e.toString());
      }
    }
  }

  /** One line per failure at warn; the stack trace only at debug, so a flapping tier stays readable. */
  private static void warn(String op, Tier tier, ArtifactKey key, Exception e) {
    LOG.warn("tier {}: {} {} failed: {}", tier.name(), op, key, e.toString());
    LOG.debug("tier {}: {} {} failure detail", tier.name(), op, key, e);
  }
}
