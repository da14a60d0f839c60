package dev.turbocache.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.turbocache.server.artifact.ArtifactKey;
import dev.turbocache.server.artifact.ArtifactMetadata;
import dev.turbocache.server.config.ByteSize;
import dev.turbocache.server.config.TurboCacheConfig;
import dev.turbocache.server.storage.disk.DiskStore;
import dev.turbocache.server.storage.memory.MemoryStore;
import dev.turbocache.server.storage.writeback.WriteBackQueue;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Write-back queueing, its recovery paths, readiness, and per-tier circuit breakers. */
class WriteBackAndBreakerTest {
  @TempDir Path dir;
  SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final List<AutoCloseable> open = new ArrayList<>();
  FlakyStore durable;
  MemoryStore memory;

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : open.reversed()) {
      c.close();
    }
  }

  static TurboCacheConfig.WriteBack settings(int maxEntries) {
    return new TurboCacheConfig.WriteBack(null, maxEntries, ByteSize.parse("1Gi"), 2,
        Duration.ofMillis(10), Duration.ofMillis(50));
  }

  /** memory → disk ("durable", can be made to fail), with a write-back queue in {@code queue/}. */
  TieredStore writeBackStore(int maxEntries) throws IOException {
    durable = new FlakyStore(new DiskStore(dir.resolve("durable"), 1L << 30, 1L << 30));
    memory = new MemoryStore(1 << 20, 64 << 10, Duration.ofHours(1), com.github.benmanes.caffeine.cache.Ticker.systemTicker());
    WriteBackQueue queue = new WriteBackQueue(dir.resolve("queue"), settings(maxEntries), registry);
    TieredStore store = StorageFactory.assemble(List.of(memory, durable), queue, spooler(), registry).store();
    open.add(store);
    return store;
  }

  BodySpooler spooler() throws IOException {
    return new BodySpooler(dir.resolve("spool"), 1 << 20, 1L << 30);
  }

  static ArtifactKey key(String hash) {
    return new ArtifactKey("acme", hash);
  }

  static void put(ArtifactStore store, String hash, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    store.put(key(hash), new ArtifactMetadata(bytes.length, 5L, null, null, null, null, Instant.now()),
        new ArtifactBody.Bytes(bytes));
  }

  static String read(ArtifactStore store, String hash) throws IOException {
    var hit = store.get(key(hash));
    if (hit.isEmpty()) {
      return null;
    }
    try (Artifact a = hit.get(); var in = a.body().openStream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  double gauge(String name) {
    return registry.get(name).gauge().value();
  }

  @Test
  void uploadsAreAcknowledgedWhileTheDurableTierIsDownAndArriveWhenItReturns() throws Exception {
    TieredStore store = writeBackStore(100);
    durable.failWrites = true;
    put(store, "a1", "one");
    put(store, "a2", "two");
    assertThat(gauge("turbocache.writeback.queue.entries")).isEqualTo(2);
    assertThat(read(store, "a1")).isEqualTo("one");
    memory.clear();
    assertThat(read(store, "a2")).as("served from the queue while not yet uploaded").isEqualTo("two");
    assertThat(store.head(key("a1"))).isPresent();
    assertThat(store.readyForWrites()).as("write-back can still take uploads").isTrue();
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
        registry.get("turbocache.writeback.uploads").tag("result", "failure").counter().count())
        .as("the queue keeps retrying").isGreaterThanOrEqualTo(4));
    assertThat(gauge("turbocache.writeback.oldest.age")).isGreaterThanOrEqualTo(0);

    durable.failWrites = false;
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(gauge("turbocache.writeback.queue.entries")).isZero());
    assertThat(read(durable, "a1")).isEqualTo("one");
    assertThat(read(durable, "a2")).isEqualTo("two");
    assertThat(registry.get("turbocache.writeback.uploads").tag("result", "success").counter().count())
        .isEqualTo(2);
  }

  @Test
  void aRestartResumesTheQueue() throws Exception {
    TieredStore first = writeBackStore(100);
    durable.failWrites = true;
    put(first, "b1", "kept across restart");
    first.close();
    open.clear();

    registry = new SimpleMeterRegistry(); // a new process has new meters
    TieredStore second = writeBackStore(100);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      assertThat(read(durable, "b1")).isEqualTo("kept across restart");
      assertThat(gauge("turbocache.writeback.queue.entries")).isZero();
    });
    assertThat(read(second, "b1")).isEqualTo("kept across restart");
  }

  @Test
  void theNewestVersionWinsEvenWhenQueuedTwice() throws Exception {
    TieredStore store = writeBackStore(100);
    durable.failWrites = true;
    put(store, "c1", "old");
    put(store, "c1", "new");
    durable.failWrites = false;
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(gauge("turbocache.writeback.queue.entries")).isZero());
    assertThat(read(durable, "c1")).isEqualTo("new");
  }

  @Test
  void aFullQueueFallsBackToWritingThrough() throws Exception {
    TieredStore store = writeBackStore(1);
    durable.failWrites = true;
    durable.failReads = true; // the whole durable tier is down
    put(store, "d1", "queued");
    assertThatThrownBy(() -> put(store, "d2", "cannot queue, cannot write"))
        .isInstanceOf(IOException.class);
    assertThat(store.readyForWrites()).as("queue full and durable tier down").isFalse();
    assertThat(registry.get("turbocache.writeback.fallbacks").counter().count()).isEqualTo(1);

    durable.failWrites = false;
    durable.failReads = false;
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(gauge("turbocache.writeback.queue.entries")).isZero());
    // Pin the queue full again by failing, queue one, and check the next one goes straight down.
    durable.failWrites = true;
    put(store, "d3", "queued again");
    durable.failWrites = false;
    put(store, "d4", "written through");
    assertThat(read(durable.delegate(), "d4")).as("synchronous: there before put returned")
        .isEqualTo("written through");
  }

  @Test
  void drainWaitsForTheQueueToEmpty() throws Exception {
    TieredStore store = writeBackStore(100);
    durable.failWrites = true;
    put(store, "e1", "x");
    put(store, "e2", "y");
    assertThat(store.drain(Duration.ofMillis(1))).as("cannot drain while the tier is down").isFalse();
    durable.failWrites = false;
    assertThat(store.drain(Duration.ofSeconds(20))).isTrue();
    assertThat(read(durable, "e1")).isEqualTo("x");
    assertThat(read(durable, "e2")).isEqualTo("y");
  }

  @Test
  void deletingAQueuedArtifactCancelsItsUpload() throws Exception {
    TieredStore store = writeBackStore(100);
    durable.failWrites = true;
    put(store, "f1", "gone");
    assertThat(store.delete(key("f1"))).isTrue();
    assertThat(gauge("turbocache.writeback.queue.entries")).isZero();
    assertThat(read(store, "f1")).isNull();
  }

  @Test
  void writeThroughIsNotReadyWhileTheDurableTierFails() throws Exception {
    durable = new FlakyStore(new DiskStore(dir.resolve("durable"), 1L << 30, 1L << 30));
    TieredStore store = StorageFactory.assemble(List.of(durable), null, spooler(), registry).store();
    open.add(store);
    assertThat(store.readyForWrites()).isTrue();
    durable.failReads = true;
    assertThat(store.readyForWrites()).isFalse();
    durable.failReads = false;
    assertThat(store.readyForWrites()).isTrue();
  }

  @Test
  void anOpenBreakerSkipsTheTierAndAProbeClosesIt() throws Exception {
    durable = new FlakyStore(new DiskStore(dir.resolve("durable"), 1L << 30, 1L << 30));
    CircuitBreakingStore guarded = new CircuitBreakingStore(durable, 3, Duration.ofMillis(200),
        Duration.ofMillis(200), registry);
    TieredStore store = StorageFactory.assemble(List.of(guarded), null, spooler(), registry).store();
    open.add(store);
    put(store, "c9", "value");

    durable.failReads = true;
    for (int i = 0; i < 3; i++) {
      assertThat(store.get(key("c9"))).isEmpty();
    }
    assertThat(guarded.isOpen(CircuitBreakingStore.Side.READ)).isTrue();
    int callsWhenOpened = durable.calls.get();
    assertThat(store.get(key("c9"))).as("errors and skips count as misses").isEmpty();
    assertThat(durable.calls.get()).as("an open breaker does not call the tier").isEqualTo(callsWhenOpened);
    assertThat(registry.get("turbocache.tier.lookups").tags("tier", "disk", "result", "skipped")
        .counter().count()).isEqualTo(1);
    assertThat(registry.get("turbocache.tier.circuit.open").tags("tier", "disk", "op", "read")
        .gauge().value()).isEqualTo(1);
    assertThat(registry.get("turbocache.tier.circuit.open").tags("tier", "disk", "op", "write")
        .gauge().value()).as("writes have their own breaker").isZero();
    assertThat(store.readyForWrites()).isFalse();

    durable.failReads = false;
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(read(store, "c9")).isEqualTo("value"));
    assertThat(guarded.isOpen(CircuitBreakingStore.Side.READ)).isFalse();
    assertThat(store.readyForWrites()).isTrue();
  }
}
