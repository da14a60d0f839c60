package dev.turbocache.server.admin;

import dev.turbocache.server.artifact.ArtifactMetadata;
import dev.turbocache.server.storage.ArtifactStore;
import dev.turbocache.server.storage.MeteredStore;
import dev.turbocache.server.storage.Storage;
import dev.turbocache.server.storage.StoreStats;
import dev.turbocache.server.storage.TierCounts;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the admin API does with storage, without HTTP: each tier's counts since the last reset
 * and what it holds, what every team holds, a team's artifacts, clearing a tier, and planning a
 * purge. Storage failures are thrown as they come; the routes answer them.
 */
final class StorageMaintenance {
  /** One tier: its lookups and failures since the last reset, and what it holds now. */
  record TierStatus(String name, TierCounts counts, StoreStats held) {}

  /** What one team holds: artifacts and their body bytes. */
  record Holding(long entries, long bytes) {
    static final Holding NONE = new Holding(0, 0);
  }

  private final ArtifactStore store;
  private final List<MeteredStore> tiers;
  private final Map<String, TierCounts> baseline = new ConcurrentHashMap<>();

  StorageMaintenance(Storage storage) {
    this.store = storage.store();
    this.tiers = storage.tiers();
  }

  List<TierStatus> tiers() {
    return tiers.stream()
        .map(t -> new TierStatus(t.name(),
            t.counts().since(baseline.getOrDefault(t.name(), TierCounts.ZERO)), held(t)))
        .toList();
  }

  /** Starts the counts of {@link #tiers()} again from zero (Prometheus counters keep counting). */
  void resetCounts() {
    tiers.forEach(t -> baseline.put(t.name(), t.counts()));
  }

  /** What the durable tier holds: what "the cache" holds. */
  StoreStats held() {
    return held(store);
  }

  /** A remote tier's stats can fail; a report must not. */
  private static StoreStats held(ArtifactStore s) {
    try {
      return s.stats();
    } catch (RuntimeException e) {
      return StoreStats.UNKNOWN;
    }
  }

  List<String> tierNames() {
    return tiers.stream().map(ArtifactStore::name).toList();
  }

  /** Empties the tier called {@code name}; what it held before, or empty when there is none. */
  Optional<StoreStats> clear(String name) throws IOException {
    Optional<MeteredStore> tier = tiers.stream().filter(t -> t.name().equals(name)).findFirst();
    if (tier.isEmpty()) {
      return Optional.empty();
    }
    StoreStats before = held(tier.get());
    tier.get().clear();
    return Optional.of(before);
  }

  /** Team to what storage holds of it now, sorted by team. */
  SortedMap<String, Holding> heldByTeam() throws IOException {
    SortedMap<String, Holding> held = new TreeMap<>();
    store.scan((key, metadata) -> held.merge(key.team(), new Holding(1, metadata.size()),
        (a, b) -> new Holding(a.entries() + b.entries(), a.bytes() + b.bytes())));
    return held;
  }

  /** Every artifact of {@code team} with its metadata, by hash. */
  SortedMap<String, ArtifactMetadata> artifactsOf(String team) throws IOException {
    SortedMap<String, ArtifactMetadata> found = new TreeMap<>();
    store.scan((key, metadata) -> {
      if (key.team().equals(team)) {
        found.put(key.hash(), metadata);
      }
    });
    return found;
  }

  /** The artifacts of {@code team} (null: every team) created before {@code cutoff}. */
  Purge planPurge(String olderThan, Instant cutoff, String team) throws IOException {
    return Purge.plan(store, olderThan, cutoff, team);
  }

  /** Carries out a planned purge; a storage failure is part of its report. */
  AdminApi.PurgeResponse purge(Purge plan) {
    return plan.execute(store);
  }
}
