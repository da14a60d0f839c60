package dev.turbocache.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.turbocache.server.artifact.ArtifactKey;
import dev.turbocache.server.artifact.ArtifactMetadata;
import dev.turbocache.server.storage.disk.DiskStore;
import dev.turbocache.server.storage.memory.MemoryStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class TieredStoreTest extends ArtifactStoreContractTest {

  private SimpleMeterRegistry registry;
  private MemoryStore memory;
  private DiskStore disk;
  private Path spoolDir;

  @Override
  protected ArtifactStore createStore(Path dir) throws IOException {
    return tiered(dir, memory(MIN_ARTIFACT), null);
  }

  private static MemoryStore memory(long maxArtifactSize) {
    return new MemoryStore(MIN_TOTAL, maxArtifactSize, null, Ticker.systemTicker());
  }

  /** memory over disk; either may be wrapped to fail on demand. */
  private TieredStore tiered(Path dir, MemoryStore top, Long diskMaxArtifact) throws IOException {
    memory = top;
    disk = new DiskStore(dir.resolve("disk"), 4 * MIN_TOTAL,
        diskMaxArtifact == null ? MIN_ARTIFACT : diskMaxArtifact);
    return tiered(dir, memory, disk);
  }

  private TieredStore tiered(Path dir, ArtifactStore... tiers) throws IOException {
    registry = new SimpleMeterRegistry();
    spoolDir = dir.resolve("spool");
    return StorageFactory.assemble(
        List.of(tiers), null, new BodySpooler(spoolDir, 1024, 1L << 30), registry).store();
  }

  /**
   * Small uploads are stored on the I/O thread only when no tier can keep it waiting: a synced
   * disk waits for the device, and a tier that does not say so (a remote tier, here any
   * wrapper that does not forward the answer) may wait on the network.
   */
  @Test
  void putsWithoutWaitingOnlyWhenEveryTierDoes() throws IOException {
    assertThat(tiered(tempDir.resolve("1"), memory(MIN_ARTIFACT),
        new DiskStore(tempDir.resolve("1d"), MIN_TOTAL, MIN_ARTIFACT, false)).putsWithoutWaiting()).isTrue();
    assertThat(tiered(tempDir.resolve("2"), memory(MIN_ARTIFACT),
        new DiskStore(tempDir.resolve("2d"), MIN_TOTAL, MIN_ARTIFACT, true)).putsWithoutWaiting()).isFalse();
    assertThat(tiered(tempDir.resolve("3"), memory(MIN_ARTIFACT), new FlakyStore(
        new DiskStore(tempDir.resolve("3d"), MIN_TOTAL, MIN_ARTIFACT, false))).putsWithoutWaiting()).isFalse();
  }

  private double counter(String name, String... tags) {
    return registry.get(name).tags(tags).counter().count();
  }

  private double lookups(String tier, String result) {
    return counter("turbocache.tier.lookups", "tier", tier, "result", result);
  }

  @Test
  void diskHitIsPromotedIntoMemory() throws IOException {
    put(disk, key("a1"), filled(5000, 1));

    assertThat(read(store.get(key("a1")))).isEqualTo(filled(5000, 1));

    assertThat(read(memory.get(key("a1")))).isEqualTo(filled(5000, 1));
    assertThat(memory.head(key("a1"))).contains(metadata(5000));
    assertThat(lookups("memory", "miss")).isEqualTo(1);
    assertThat(lookups("disk", "hit")).isEqualTo(1);
    assertThat(counter("turbocache.tier.promotions", "tier", "memory")).isEqualTo(1);
    assertThat(counter("turbocache.tier.bytes.written", "tier", "memory")).isEqualTo(5000);
    assertThat(counter("turbocache.tier.bytes.read", "tier", "disk")).isEqualTo(5000);

    read(store.get(key("a1")));
    assertThat(lookups("memory", "hit")).isEqualTo(1);
    assertThat(lookups("disk", "hit")).isEqualTo(1);
  }

  /**
   * A memory tier that does not store uploads: a PUT reaches disk only and drops the older
   * memory version; the next read comes from disk and fills memory.
   */
  @Test
  void readFilledTierIsSkippedByUploadsAndFilledByTheNextRead() throws IOException {
    store = tiered(tempDir.resolve("read-filled"),
        new MemoryStore(MIN_TOTAL, MIN_ARTIFACT, null, Ticker.systemTicker(), false), null);
    put(memory, key("c1"), filled(300, 1));

    put(store, key("c1"), filled(400, 2));

    assertThat(memory.head(key("c1"))).as("stale version dropped, new one not stored").isEmpty();
    assertThat(read(disk.get(key("c1")))).isEqualTo(filled(400, 2));
    assertThat(read(store.get(key("c1")))).isEqualTo(filled(400, 2));
    assertThat(lookups("disk", "hit")).isEqualTo(1);
    assertThat(read(memory.get(key("c1")))).as("promoted by the read").isEqualTo(filled(400, 2));
  }

  /** As the only tier that admits the size, a read-filled tier still takes the upload. */
  @Test
  void readFilledTierStoresUploadsNoOtherTierAdmits() throws IOException {
    store = tiered(tempDir.resolve("read-filled-only"),
        new MemoryStore(MIN_TOTAL, MIN_ARTIFACT, null, Ticker.systemTicker(), false), 100L);

    put(store, key("c2"), filled(400, 3));

    assertThat(read(memory.get(key("c2")))).isEqualTo(filled(400, 3));
    assertThat(disk.head(key("c2"))).isEmpty();
  }

  @Test
  void artifactTooLargeForMemoryLandsOnDiskAndDropsTheStaleMemoryVersion() throws IOException {
    store = tiered(tempDir.resolve("small"), memory(1000), null);
    put(store, key("b1"), filled(500, 1));
    assertThat(memory.head(key("b1"))).isPresent();

    put(store, key("b1"), filled(5000, 2));

    assertThat(memory.head(key("b1"))).isEmpty();
    assertThat(read(disk.get(key("b1")))).isEqualTo(filled(5000, 2));
    assertThat(read(store.get(key("b1")))).isEqualTo(filled(5000, 2));
    assertThat(memory.head(key("b1"))).as("not promoted either").isEmpty();
  }

  @Test
  void noTierAdmittingTheSizeFailsDistinctlyAndDropsStaleVersions() throws IOException {
    store = tiered(tempDir.resolve("small"), memory(1000), 2000L);
    put(store, key("b2"), filled(500, 1));

    assertThatThrownBy(() -> put(store, key("b2"), filled(3000, 2)))
        .isInstanceOf(ArtifactTooLargeException.class);
    assertThat(store.admits(3000)).isFalse();
    assertThat(store.get(key("b2"))).isEmpty();
  }

  @Test
  void failingTierIsSkippedOnReadsAndCountedAsError() throws IOException {
    FlakyStore flakyMemory = new FlakyStore(memory(MIN_ARTIFACT));
    disk = new DiskStore(tempDir.resolve("d"), MIN_TOTAL, MIN_ARTIFACT);
    store = tiered(tempDir, flakyMemory, disk);
    put(store, key("c1"), filled(100, 1));
    flakyMemory.failReads = true;

    assertThat(read(store.get(key("c1")))).isEqualTo(filled(100, 1));
    assertThat(store.head(key("c1"))).contains(metadata(100));

    assertThat(lookups("memory", "error")).isEqualTo(2);
    assertThat(lookups("memory", "hit")).isZero();
    assertThat(lookups("disk", "hit")).isEqualTo(2);
    assertThat(counter("turbocache.tier.errors", "tier", "memory", "op", "get")).isEqualTo(1);
  }

  @Test
  void putFailsWhenTheDurableTierFailsAndLeavesThePreviousVersion() throws IOException {
    MemoryStore top = memory(MIN_ARTIFACT);
    FlakyStore flakyDisk =
        new FlakyStore(new DiskStore(tempDir.resolve("d"), MIN_TOTAL, MIN_ARTIFACT));
    store = tiered(tempDir, top, flakyDisk);
    put(store, key("c2"), filled(100, 1));
    flakyDisk.failWrites = true;

    assertThatThrownBy(() -> put(store, key("c2"), filled(200, 2)))
        .isInstanceOf(IOException.class);

    assertThat(read(top.get(key("c2")))).as("new version not visible").isEqualTo(filled(100, 1));
    assertThat(read(store.get(key("c2")))).isEqualTo(filled(100, 1));
    assertThat(counter("turbocache.tier.errors", "tier", "disk", "op", "put")).isEqualTo(1);
  }

  @Test
  void putSucceedsWhenAnUpperTierFailsAndDropsItsStaleVersion() throws IOException {
    FlakyStore flakyMemory = new FlakyStore(memory(MIN_ARTIFACT));
    disk = new DiskStore(tempDir.resolve("d"), MIN_TOTAL, MIN_ARTIFACT);
    store = tiered(tempDir, flakyMemory, disk);
    put(store, key("c3"), filled(100, 1));
    flakyMemory.failWrites = true;

    put(store, key("c3"), filled(200, 2));

    assertThat(flakyMemory.head(key("c3"))).isEmpty();
    assertThat(read(store.get(key("c3")))).isEqualTo(filled(200, 2));
    assertThat(counter("turbocache.tier.errors", "tier", "memory", "op", "put"))
        .as("the put and the failed promotion").isEqualTo(2);
  }

  /**
   * A miss told without blocking counts as the miss of every tier, as a get would; a key that
   * only the disk tier holds is no miss, and no tier counts anything for it.
   */
  @Test
  void absentWithoutBlockingCountsAMissPerTierOnlyWhenNoTierHoldsTheKey() throws IOException {
    assertThat(store.absentWithoutBlocking(key("e1"))).isTrue();
    assertThat(lookups("memory", "miss")).isEqualTo(1);
    assertThat(lookups("disk", "miss")).isEqualTo(1);

    put(disk, key("e2"), filled(100, 1));
    assertThat(store.absentWithoutBlocking(key("e2"))).isFalse();
    assertThat(lookups("memory", "miss")).isEqualTo(1);
    assertThat(lookups("disk", "miss")).isEqualTo(1);
    assertThat(lookups("disk", "hit")).isZero();
  }

  /** A tier that must do I/O to know (here one that fails reads) leaves every miss to get. */
  @Test
  void absentWithoutBlockingIsFalseWhileATierCannotTell() throws IOException {
    FlakyStore flaky =
        new FlakyStore(new DiskStore(tempDir.resolve("flaky"), MIN_TOTAL, MIN_ARTIFACT));
    TieredStore withFlaky = tiered(tempDir, memory(MIN_ARTIFACT), flaky);
    flaky.failReads = true;

    assertThat(withFlaky.absentWithoutBlocking(key("e3"))).isFalse();
    assertThat(lookups("memory", "miss")).isZero();
  }

  @Test
  void lookupMetricsFollowAKnownSequence() throws IOException {
    store.get(key("d1")); // miss, miss
    put(store, key("d1"), filled(300, 1));
    read(store.get(key("d1"))); // memory hit
    store.head(key("d1")); // memory hit
    store.head(key("d2")); // miss, miss
    memory.delete(key("d1"));
    read(store.get(key("d1"))); // memory miss, disk hit, promotion

    assertThat(lookups("memory", "hit")).isEqualTo(2);
    assertThat(lookups("memory", "miss")).isEqualTo(3);
    assertThat(lookups("disk", "hit")).isEqualTo(1);
    assertThat(lookups("disk", "miss")).isEqualTo(2);
    assertThat(lookups("memory", "error")).isZero();
    assertThat(lookups("disk", "error")).isZero();
    assertThat(counter("turbocache.tier.promotions", "tier", "memory")).isEqualTo(1);
    assertThat(counter("turbocache.tier.bytes.read", "tier", "memory")).isEqualTo(300);
    assertThat(counter("turbocache.tier.bytes.written", "tier", "disk")).isEqualTo(300);
    assertThat(counter("turbocache.tier.bytes.written", "tier", "memory")).isEqualTo(600);
    assertThat(registry.get("turbocache.tier.latency").tags("tier", "memory", "op", "get")
        .timer().count()).isEqualTo(3);
    assertThat(registry.get("turbocache.tier.entries").tags("tier", "disk").gauge().value())
        .isEqualTo(1);
    assertThat(registry.get("turbocache.tier.size.bytes").tags("tier", "memory").gauge().value())
        .isEqualTo(300);
  }

  @Test
  void streamedHitIsSpooledPromotedAndStillReturned() throws IOException {
    MemoryStore top = memory(MIN_ARTIFACT);
    RemoteLikeStore remote = new RemoteLikeStore(memory(MIN_ARTIFACT));
    store = tiered(tempDir, top, remote);
    byte[] body = randomBytes(100_000, 3);
    put(remote.delegate, key("e1"), body);

    Optional<Artifact> hit = store.get(key("e1"));

    assertThat(hit).get().extracting(Artifact::body).isInstanceOf(ArtifactBody.FileRegion.class);
    assertThat(read(hit)).isEqualTo(body);
    assertThat(read(top.get(key("e1")))).isEqualTo(body);
    try (Stream<Path> left = Files.list(spoolDir)) {
      assertThat(left).as("spool file deleted with the body").isEmpty();
    }
  }

  @Test
  void streamedUploadReachesEveryTier() throws IOException {
    byte[] body = randomBytes(50_000, 4);
    store.put(key("e2"), metadata(body.length),
        new ArtifactBody.Streamed(new ByteArrayInputStream(body), body.length));

    assertThat(read(memory.get(key("e2")))).isEqualTo(body);
    assertThat(read(disk.get(key("e2")))).isEqualTo(body);
  }

  /** Hands out one-shot bodies, as a network tier (Redis, S3) would. */
  private static final class RemoteLikeStore implements ArtifactStore {
    final MemoryStore delegate;

    RemoteLikeStore(MemoryStore delegate) {
      this.delegate = delegate;
    }

    @Override
    public void scan(ArtifactVisitor visitor) throws IOException {
      delegate.scan(visitor);
    }

    @Override
    public String name() {
      return "remote";
    }

    @Override
    public boolean admits(long size) {
      return delegate.admits(size);
    }

    @Override
    public Optional<Artifact> get(ArtifactKey key) {
      return delegate.get(key).map(a -> new Artifact(a.metadata(),
          new ArtifactBody.Streamed(new ByteArrayInputStream(
              ((ArtifactBody.Bytes) a.body()).toArray()), a.body().size())));
    }

    @Override
    public Optional<ArtifactMetadata> head(ArtifactKey key) {
      return delegate.head(key);
    }

    @Override
    public void put(ArtifactKey key, ArtifactMetadata metadata, ArtifactBody body)
        throws IOException {
      delegate.put(key, metadata, body);
    }

    @Override
    public boolean delete(ArtifactKey key) {
      return delegate.delete(key);
    }

    @Override
    public void clear() {
      delegate.clear();
    }

    @Override
    public StoreStats stats() {
      return delegate.stats();
    }

    @Override
    public void close() {}
  }
}
