package dev.turbocache.server.storage;

import java.util.List;

/**
 * The storage a server runs on, as {@link StorageFactory} assembled it: the tiered store its
 * routes read and write, and each tier on its own (inside write-back, so clearing one never
 * touches queued uploads) with the counts the admin API reports.
 */
public record Storage(TieredStore store, List<MeteredStore> tiers) implements AutoCloseable {

  public Storage {
    tiers = List.copyOf(tiers);
  }

  /** Closes every tier (and the write-back queue, after its last upload attempt). */
  @Override
  public void close() {
    store.close();
  }
}
