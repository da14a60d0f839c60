package dev.turbocache.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turbocache.server.artifact.ArtifactKey;
import dev.turbocache.server.artifact.ArtifactMetadata;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link ArtifactStore} must do. Each store runs it through a subclass; store-specific
 * behaviour (eviction, restart, promotion) lives in those subclasses.
 */
public abstract class ArtifactStoreContractTest {

  /** Room the created store must offer: whole-store and per-artifact sizes used below. */
  protected static final long MIN_TOTAL = 64L << 20;
  protected static final long MIN_ARTIFACT = 16L << 20;

  @TempDir protected Path tempDir;

  protected ArtifactStore store;

  /** A fresh, empty store holding at least {@link #MIN_TOTAL} bytes and artifacts of {@link #MIN_ARTIFACT}. */
  protected abstract ArtifactStore createStore(Path dir) throws IOException;

  @BeforeEach
  void openStore() throws IOException {
    store = createStore(tempDir.resolve("store"));
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  // ---- helpers shared with the store-specific tests ----

  protected static ArtifactKey key(String hash) {
    return new ArtifactKey("team-a", hash);
  }

  protected static ArtifactMetadata metadata(long size) {
    return new ArtifactMetadata(size, 1234L, "tag-" + size, "abc123", null, "github_actions",
        Instant.parse("2025-01-02T03:04:05.678Z"));
  }

  protected static void put(ArtifactStore s, ArtifactKey key, byte[] body) throws IOException {
    s.put(key, metadata(body.length), new ArtifactBody.Bytes(body));
  }

  /** The whole body of a hit, closing the artifact. */
  protected static byte[] read(Optional<Artifact> hit) throws IOException {
    assertThat(hit).as("expected a hit").isPresent();
    try (Artifact artifact = hit.get()) {
      try (var in = artifact.body().openStream()) {
        byte[] bytes = in.readAllBytes();
        assertThat(artifact.body().size()).isEqualTo(bytes.length);
        return bytes;
      }
    }
  }

  protected static byte[] randomBytes(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  protected static byte[] filled(int size, int value) {
    byte[] bytes = new byte[size];
    java.util.Arrays.fill(bytes, (byte) value);
    return bytes;
  }

  // ---- the contract ----

  @Test
  void missIsEmpty() throws IOException {
    assertThat(store.get(key("ab12"))).isEmpty();
    assertThat(store.head(key("ab12"))).isEmpty();
    assertThat(store.delete(key("ab12"))).isFalse();
  }

  @Test
  void scanVisitsEveryArtifactWithItsMetadata() throws IOException {
    put(store, key("0a1"), new byte[3]);
    put(store, new ArtifactKey("other", "0a2"), new byte[5]);
    java.util.Map<ArtifactKey, Long> seen = new java.util.HashMap<>();
    store.scan((k, m) -> seen.put(k, m.size()));
    assertThat(seen).containsEntry(key("0a1"), 3L).containsEntry(new ArtifactKey("other", "0a2"), 5L)
        .hasSize(2);
  }

  @Test
  void teamsAreTheTeamsHoldingArtifacts() throws IOException {
    assertThat(store.teams()).isEmpty();
    put(store, key("0b1"), new byte[3]);
    put(store, key("0b2"), new byte[3]);
    put(store, new ArtifactKey("other", "0b3"), new byte[5]);
    assertThat(store.teams()).containsExactlyInAnyOrder(key("0b1").team(), "other");
    store.delete(new ArtifactKey("other", "0b3"));
    assertThat(store.teams()).containsExactly(key("0b1").team());
  }

  @Test
  void storesEveryByteValue() throws IOException {
    byte[] body = new byte[256 * 4];
    for (int i = 0; i < body.length; i++) {
      body[i] = (byte) i;
    }
    put(store, key("01"), body);
    assertThat(read(store.get(key("01")))).isEqualTo(body);
  }

  @Test
  void storesEmptyBody() throws IOException {
    put(store, key("02"), new byte[0]);
    assertThat(read(store.get(key("02")))).isEmpty();
    assertThat(store.head(key("02"))).map(ArtifactMetadata::size).contains(0L);
  }

  @Test
  void storesMultiMebibyteBody() throws IOException {
    byte[] body = randomBytes(5 << 20, 42);
    put(store, key("03"), body);
    assertThat(read(store.get(key("03")))).isEqualTo(body);
  }

  @Test
  void acceptsFileRegionAndStreamedBodies() throws IOException {
    byte[] body = randomBytes(300_000, 7);
    Path file = Files.createTempFile(tempDir, "region", ".bin");
    // The region starts after some unrelated bytes, as in a disk-tier file.
    Files.write(file, concat(filled(100, 9), body, filled(50, 8)));
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      store.put(key("04"), metadata(body.length),
          new ArtifactBody.FileRegion(channel, 100, body.length, null));
    }
    assertThat(read(store.get(key("04")))).isEqualTo(body);

    byte[] other = randomBytes(200_000, 8);
    store.put(key("05"), metadata(other.length),
        new ArtifactBody.Streamed(new ByteArrayInputStream(other), other.length));
    assertThat(read(store.get(key("05")))).isEqualTo(other);
  }

  @Test
  void metadataRoundTripsEveryField() throws IOException {
    ArtifactMetadata full = new ArtifactMetadata(3, 98765L, "sig/with+chars=", "deadbeef",
        "d1r7y", "circleci", Instant.parse("2024-12-31T23:59:59.123456789Z"));
    store.put(key("06"), full, new ArtifactBody.Bytes(new byte[] {1, 2, 3}));
    ArtifactMetadata sparse = new ArtifactMetadata(2, null, null, null, null, null, null);
    store.put(key("07"), sparse, new ArtifactBody.Bytes(new byte[] {4, 5}));

    assertThat(store.head(key("06"))).contains(full);
    assertThat(store.head(key("07"))).contains(sparse);
    try (Artifact hit = store.get(key("06")).orElseThrow()) {
      assertThat(hit.metadata()).isEqualTo(full);
    }
    try (Artifact hit = store.get(key("07")).orElseThrow()) {
      assertThat(hit.metadata()).isEqualTo(sparse);
    }
  }

  @Test
  void overwriteReplacesBodyAndMetadata() throws IOException {
    put(store, key("08"), filled(1000, 1));
    ArtifactMetadata second = new ArtifactMetadata(500, 1L, "second", null, null, null, null);
    store.put(key("08"), second, new ArtifactBody.Bytes(filled(500, 2)));

    Optional<Artifact> hit = store.get(key("08"));
    assertThat(hit).map(Artifact::metadata).contains(second);
    assertThat(read(hit)).isEqualTo(filled(500, 2));
    assertThat(store.stats()).isEqualTo(new StoreStats(1, 500));
  }

  @Test
  void deleteRemovesOnlyThatArtifact() throws IOException {
    put(store, key("09"), filled(10, 1));
    put(store, key("0a"), filled(20, 2));

    assertThat(store.delete(key("09"))).isTrue();
    assertThat(store.get(key("09"))).isEmpty();
    assertThat(store.head(key("09"))).isEmpty();
    assertThat(store.delete(key("09"))).isFalse();
    assertThat(read(store.get(key("0a")))).isEqualTo(filled(20, 2));
  }

  @Test
  void clearRemovesEverything() throws IOException {
    put(store, key("0b"), filled(10, 1));
    put(store, new ArtifactKey("team-b", "0c"), filled(20, 2));

    store.clear();

    assertThat(store.get(key("0b"))).isEmpty();
    assertThat(store.get(new ArtifactKey("team-b", "0c"))).isEmpty();
    assertThat(store.stats()).isEqualTo(new StoreStats(0, 0));
  }

  @Test
  void statsCountEntriesAndBodyBytes() throws IOException {
    assertThat(store.stats()).isEqualTo(new StoreStats(0, 0));
    put(store, key("0d"), filled(100, 1));
    put(store, key("0e"), filled(200, 2));
    assertThat(store.stats()).isEqualTo(new StoreStats(2, 300));
    store.delete(key("0d"));
    assertThat(store.stats()).isEqualTo(new StoreStats(1, 200));
  }

  @Test
  void headReturnsMetadataOfStoredArtifact() throws IOException {
    put(store, key("0f"), filled(77, 1));
    assertThat(store.head(key("0f"))).contains(metadata(77));
  }

  @Test
  void teamsAreIsolated() throws IOException {
    ArtifactKey a = new ArtifactKey("team-a", "cafe");
    ArtifactKey b = new ArtifactKey("team-b", "cafe");
    put(store, a, filled(10, 'a'));
    put(store, b, filled(20, 'b'));

    assertThat(read(store.get(a))).isEqualTo(filled(10, 'a'));
    assertThat(read(store.get(b))).isEqualTo(filled(20, 'b'));
    store.delete(a);
    assertThat(store.get(a)).isEmpty();
    assertThat(read(store.get(b))).isEqualTo(filled(20, 'b'));
  }

  /**
   * Writers overwrite one key with bodies whose every byte is the version number, and metadata
   * naming the same version; every read must be exactly one complete version.
   */
  @Test
  void concurrentPutAndGetNeverSeeATornOrMixedVersion() throws Exception {
    ArtifactKey shared = key("beef");
    int size = 200_000; // several copy buffers, so a torn write would show
    int writers = 3;
    int versionsPerWriter = 40;
    int readers = 3;
    put(store, shared, filled(size, 0), "0");

    ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    CountDownLatch writersDone = new CountDownLatch(writers);
    ExecutorService pool = Executors.newFixedThreadPool(writers + readers);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int writer = w;
        futures.add(pool.submit(() -> {
          try {
            for (int i = 0; i < versionsPerWriter; i++) {
              int version = 1 + writer * versionsPerWriter + i;
              put(store, shared, filled(size, version), Integer.toString(version));
            }
          } finally {
            writersDone.countDown();
          }
          return null;
        }));
      }
      for (int r = 0; r < readers; r++) {
        futures.add(pool.submit(() -> {
          int reads = 0;
          while (writersDone.getCount() > 0 || reads < 10) {
            reads++;
            Optional<Artifact> hit = store.get(shared);
            if (hit.isEmpty()) {
              problems.add("miss while the key always exists");
              continue;
            }
            String tag = hit.get().metadata().tag();
            byte[] body = read(hit);
            int version = body.length == 0 ? -1 : body[0] & 0xFF;
            if (body.length != size) {
              problems.add("length " + body.length);
            } else if (!java.util.Arrays.equals(body, filled(size, version))) {
              problems.add("mixed body starting with version " + version);
            } else if (!Integer.toString(version).equals(tag)) {
              problems.add("body of version " + version + " with metadata of " + tag);
            }
          }
          return null;
        }));
      }
      for (Future<?> f : futures) {
        f.get(5, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(problems).isEmpty();
    assertThat(store.stats()).isEqualTo(new StoreStats(1, size));
  }

  private static void put(ArtifactStore s, ArtifactKey key, byte[] body, String tag)
      throws IOException {
    s.put(key, new ArtifactMetadata(body.length, null, tag, null, null, null, null),
        new ArtifactBody.Bytes(body));
  }

  private static byte[] concat(byte[]... parts) {
    int length = 0;
    for (byte[] p : parts) {
      length += p.length;
    }
    byte[] all = new byte[length];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, all, at, p.length);
      at += p.length;
    }
    return all;
  }
}
