package dev.turbocache.server.storage;

import dev.turbocache.server.artifact.ArtifactKey;
import dev.turbocache.server.artifact.ArtifactMetadata;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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
 * in a cache tier while the durable tier still holds the previous version. A tier above the
 * durable one that does not {@linkplain ArtifactStore#storesUploads() store uploads} only drops
 * its older version and fills from promotions.
 *
 * <p>Everything else about a tier is the tier's own: its meters and failure log ({@link
 * MeteredStore}), its circuit breaker, and write-back of the durable tier, all wrappers that
 * {@link StorageFactory} puts around it.
 */
public final class TieredStore implements ArtifactStore {
  private static final Logger LOG = LoggerFactory.getLogger(TieredStore.class);

  private final List<ArtifactStore> tiers;
  private final BodySpooler spooler;

  /**
   * @param tiers top (fastest) first; the last one is the durable tier
   * @param spooler turns one-shot bodies from remote tiers into bodies every tier can read
   */
  public TieredStore(List<? extends ArtifactStore> tiers, BodySpooler spooler) {
    if (tiers.isEmpty()) {
      throw new IllegalArgumentException("at least one tier is required");
    }
    this.tiers = List.copyOf(tiers);
    this.spooler = spooler;
  }

  @Override
  public String name() {
    return "tiered";
  }

  /** The tiers, top first. */
  public List<ArtifactStore> tiers() {
    return tiers;
  }

  @Override
  public boolean admits(long size) {
    return tiers.stream().anyMatch(t -> t.admits(size));
  }

  @Override
  public Optional<Artifact> get(ArtifactKey key) {
    for (int i = 0; i < tiers.size(); i++) {
      Optional<Artifact> hit = rereadable(lookup(tiers.get(i), key), i);
      if (hit.isPresent()) {
        promote(key, hit.get(), i);
        return hit;
      }
    }
    return Optional.empty();
  }

  /** A failing tier is a miss; the tier counted and logged the failure. */
  private static Optional<Artifact> lookup(ArtifactStore tier, ArtifactKey key) {
    try {
      return tier.get(key);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * One-shot bodies must become re-readable before they can go to several places. A body that
   * breaks off while being read is a miss of its tier (the spooler closes it either way).
   */
  private Optional<Artifact> rereadable(Optional<Artifact> hit, int index) {
    if (hit.isEmpty() || !(hit.get().body() instanceof ArtifactBody.Streamed streamed)
        || !admittedAbove(index, streamed.size())) {
      return hit;
    }
    try {
      return Optional.of(new Artifact(hit.get().metadata(), spooler.spool(streamed)));
    } catch (IOException | RuntimeException e) {
      LOG.warn("tier {}: reading the body of a hit failed: {}", tiers.get(index).name(), e.toString());
      return Optional.empty();
    }
  }

  private boolean admittedAbove(int index, long size) {
    return tiers.subList(0, index).stream().anyMatch(t -> t.admits(size));
  }

  /** Best effort: a promotion that fails costs a future hit, never this one. */
  private void promote(ArtifactKey key, Artifact artifact, int hitIndex) {
    for (int j = hitIndex - 1; j >= 0; j--) {
      ArtifactStore upper = tiers.get(j);
      if (upper.admits(artifact.metadata().size())) {
        try {
          upper.promote(key, artifact);
        } catch (IOException | RuntimeException e) {
          // counted and logged by the tier
        }
      }
    }
  }

  /** The top tier's hit when it answers without blocking (the memory tier). */
  @Override
  public Optional<Artifact> getWithoutBlocking(ArtifactKey key) {
    return tiers.getFirst().getWithoutBlocking(key);
  }

  /**
   * True when every tier does: an upload of a body on the heap writes or drops its key in each
   * tier and spools nothing.
   */
  @Override
  public boolean putsWithoutWaiting() {
    return tiers.stream().allMatch(ArtifactStore::putsWithoutWaiting);
  }

  /**
   * True when every tier can tell without blocking that it lacks {@code key} (memory and disk
   * tiers): a miss answered without a worker thread. Asked bottom-up, so that a lower tier's hit
   * (the usual reason an upper tier lacks the key) answers false before any tier counted a miss;
   * tiers that cannot tell without I/O make it false before any is asked.
   */
  @Override
  public boolean absentWithoutBlocking(ArtifactKey key) {
    for (ArtifactStore tier : tiers) {
      if (!tier.knowsMissesWithoutBlocking()) {
        return false;
      }
    }
    for (int i = tiers.size() - 1; i >= 0; i--) {
      if (!tiers.get(i).absentWithoutBlocking(key)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public Optional<ArtifactMetadata> head(ArtifactKey key) {
    for (ArtifactStore tier : tiers) {
      try {
        Optional<ArtifactMetadata> found = tier.head(key);
        if (found.isPresent()) {
          return found;
        }
      } catch (IOException | RuntimeException e) {
        // a miss; counted and logged by the tier
      }
    }
    return Optional.empty();
  }

  /**
   * Writes into every tier that admits the size and stores uploads. Fails when the durable tier
   * (the last one that admits the size) fails, with {@link ArtifactTooLargeException} when no
   * tier admits it.
   */
  @Override
  public void put(ArtifactKey key, ArtifactMetadata metadata, ArtifactBody body)
      throws IOException {
    SizeLimitedStore.requireMatchingSizes(metadata, body);
    List<ArtifactStore> admitting = new ArrayList<>();
    for (ArtifactStore tier : tiers) {
      if (tier.admits(body.size())) {
        admitting.add(tier);
      } else {
        // An older, smaller version there would keep answering for this key.
        deleteQuietly(tier, key);
      }
    }
    if (admitting.isEmpty()) {
      throw new ArtifactTooLargeException(body.size(), "no storage tier admits it");
    }
    ArtifactBody readable = body;
    if (body instanceof ArtifactBody.Streamed streamed && admitting.size() > 1) {
      readable = spooler.spool(streamed);
    }
    try {
      putDurably(admitting.getLast(), key, metadata, readable);
      writeAbove(admitting, key, metadata, readable);
    } finally {
      if (readable != body) {
        readable.close();
      }
    }
  }

  private static void putDurably(ArtifactStore durable, ArtifactKey key, ArtifactMetadata metadata,
      ArtifactBody body) throws IOException {
    try {
      durable.put(key, metadata, body);
    } catch (RuntimeException e) {
      throw new IOException("tier " + durable.name() + " failed to store " + key, e);
    }
  }

  /**
   * Every admitting tier but the durable one, bottom-up; failures leave no stale version, and
   * tiers that fill from reads only just drop theirs.
   */
  private static void writeAbove(
      List<ArtifactStore> admitting, ArtifactKey key, ArtifactMetadata metadata, ArtifactBody body) {
    for (int i = admitting.size() - 2; i >= 0; i--) {
      ArtifactStore tier = admitting.get(i);
      if (!tier.storesUploads()) {
        deleteQuietly(tier, key);
        continue;
      }
      try {
        tier.put(key, metadata, body);
      } catch (IOException | RuntimeException e) {
        // It may still hold the previous version, which is now stale.
        deleteQuietly(tier, key);
      }
    }
  }

  private static void deleteQuietly(ArtifactStore tier, ArtifactKey key) {
    try {
      tier.delete(key);
    } catch (IOException | RuntimeException e) {
      // counted and logged by the tier
    }
  }

  /**
   * Deletes from every tier, even after one fails, and then reports the failure: an artifact left
   * in any tier would still be served.
   */
  @Override
  public boolean delete(ArtifactKey key) throws IOException {
    boolean[] deleted = {false};
    onEveryTier(tier -> deleted[0] |= tier.delete(key));
    return deleted[0];
  }

  @Override
  public void clear() throws IOException {
    onEveryTier(ArtifactStore::clear);
  }

  private interface TierAction {
    void run(ArtifactStore tier) throws IOException;
  }

  /** Runs {@code action} on every tier, then throws the first failure (later ones suppressed). */
  private void onEveryTier(TierAction action) throws IOException {
    IOException failure = null;
    for (ArtifactStore tier : tiers) {
      try {
        action.run(tier);
      } catch (IOException | RuntimeException e) {
        if (failure == null) {
          failure = e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /**
   * The bottom tier's stats: it is the durable, largest tier and holds (nearly) everything the
   * upper tiers hold, so its numbers are what "the cache" holds.
   */
  @Override
  public StoreStats stats() {
    return tiers.getLast().stats();
  }

  /**
   * Every artifact held by any tier, once: a key found in several tiers is reported with the
   * metadata of the highest tier that holds it.
   */
  @Override
  public void scan(ArtifactVisitor visitor) throws IOException {
    Set<ArtifactKey> seen = new HashSet<>();
    for (ArtifactStore tier : tiers) {
      tier.scan((key, metadata) -> {
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
    for (ArtifactStore tier : tiers) {
      try {
        teams.addAll(tier.teams());
      } catch (IOException | RuntimeException e) {
        LOG.warn("tier {}: listing teams failed: {}", tier.name(), e.toString());
      }
    }
    return teams;
  }

  /** Whether the durable tier can take uploads. */
  @Override
  public boolean readyForWrites() {
    return tiers.getLast().readyForWrites();
  }

  @Override
  public boolean drain(Duration timeout) throws InterruptedException {
    return tiers.getLast().drain(timeout);
  }

  @Override
  public void close() {
    for (ArtifactStore tier : tiers) {
      try {
        tier.close();
      } catch (RuntimeException e) {
        LOG.warn("tier {}: close failed: {}", tier.name(), e.toString());
      }
    }
  }
}
