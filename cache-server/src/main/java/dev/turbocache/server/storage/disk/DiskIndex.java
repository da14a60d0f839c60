package dev.turbocache.server.storage.disk;

import dev.turbocache.server.artifact.ArtifactKey;
import dev.turbocache.server.artifact.ArtifactMetadata;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which file holds the current version of each artifact, in least-recently-used order, bounded by
 * total body bytes.
 *
 * <p>Plain LRU rather than Caffeine: Caffeine's TinyLFU admission rejects a new entry whose
 * access frequency does not beat the eviction victim's, so once the disk is full freshly uploaded
 * artifacts (the ones the next CI run wants) would be evicted on arrival. An LRU keeps them.
 *
 * <p>The index never touches files: methods return the entries whose files the caller must
 * delete, so slow file-system calls happen outside the lock.
 */
final class DiskIndex {

  /** One stored artifact version. */
  record Entry(Path path, long version, long bodyOffset, ArtifactMetadata metadata) {
    long size() {
      return metadata.size();
    }
  }

  private final long maxBytes;
  private final LinkedHashMap<ArtifactKey, Entry> entries = new LinkedHashMap<>(64, 0.75f, true);
  private long bytes;

  DiskIndex(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** The current entry, now the most recently used. */
  synchronized Entry get(ArtifactKey key) {
    return entries.get(key);
  }

  /** Whether there is a current entry; unlike {@link #get}, leaves the LRU order alone. */
  synchronized boolean contains(ArtifactKey key) {
    return entries.containsKey(key);
  }

  /**
   * Makes {@code entry} current and evicts least-recently-used entries until the size fits.
   *
   * @return the replaced entry (if any) and the evicted ones: their files are now garbage
   */
  synchronized List<Entry> put(ArtifactKey key, Entry entry) {
    List<Entry> obsolete = new ArrayList<>(1);
    Entry previous = entries.put(key, entry);
    bytes += entry.size();
    if (previous != null) {
      bytes -= previous.size();
      obsolete.add(previous);
    }
    // The new entry is the most recent, so it is only reached when it alone exceeds the
    // limit; the size check keeps it (callers reject such artifacts before writing them).
    Iterator<Map.Entry<ArtifactKey, Entry>> eldest = entries.entrySet().iterator();
    while (bytes > maxBytes && entries.size() > 1) {
      Entry evicted = eldest.next().getValue();
      eldest.remove();
      bytes -= evicted.size();
      obsolete.add(evicted);
    }
    return obsolete;
  }

  synchronized Entry remove(ArtifactKey key) {
    Entry removed = entries.remove(key);
    if (removed != null) {
      bytes -= removed.size();
    }
    return removed;
  }

  /** Removes {@code entry} only if it is still current: a newer version must not be dropped. */
  synchronized boolean removeIfCurrent(ArtifactKey key, Entry entry) {
    if (entries.get(key) != entry) {
      return false;
    }
    remove(key);
    return true;
  }

  /** Removes the entry only while its metadata is still {@code expected} (no newer version). */
  synchronized Entry removeIfMetadata(ArtifactKey key, ArtifactMetadata expected) {
    Entry current = entries.get(key);
    if (current == null || !current.metadata().equals(expected)) {
      return null;
    }
    return remove(key);
  }

  synchronized List<Entry> removeAll() {
    List<Entry> all = new ArrayList<>(entries.values());
    entries.clear();
    bytes = 0;
    return all;
  }

  /** A copy of the current entries, so a slow visitor never holds the index lock. */
  synchronized Map<ArtifactKey, ArtifactMetadata> snapshot() {
    Map<ArtifactKey, ArtifactMetadata> copy = new LinkedHashMap<>(entries.size() * 2);
    entries.forEach((key, entry) -> copy.put(key, entry.metadata()));
    return copy;
  }

  synchronized long entryCount() {
    return entries.size();
  }

  synchronized long bytes() {
    return bytes;
  }
}
