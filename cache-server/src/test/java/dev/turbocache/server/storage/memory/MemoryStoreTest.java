package dev.turbocache.server.storage.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.turbocache.server.artifact.ArtifactKey;
import dev.turbocache.server.config.ByteSize;
import dev.turbocache.server.config.TurboCacheConfig;
import dev.turbocache.server.storage.ArtifactBody;
import dev.turbocache.server.storage.ArtifactStore;
import dev.turbocache.server.storage.ArtifactStoreContractTest;
import dev.turbocache.server.storage.ArtifactTooLargeException;
import dev.turbocache.server.storage.StoreStats;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MemoryStoreTest extends ArtifactStoreContractTest {

  @Override
  protected ArtifactStore createStore(Path dir) {
    return new MemoryStore(MIN_TOTAL, MIN_ARTIFACT, Duration.ofHours(1), Ticker.systemTicker());
  }

  @Test
  void hitsAreHeapBodies() throws IOException {
    put(store, key("aa"), filled(10, 1));
    try (var hit = store.get(key("aa")).orElseThrow()) {
      assertThat(hit.body()).isInstanceOf(ArtifactBody.Bytes.class);
    }
  }

  @Test
  void weighsEntriesByBodyBytes() throws IOException {
    int body = 3000;
    long maxSize = 3L * (body + MemoryStore.ENTRY_OVERHEAD);
    MemoryStore small = new MemoryStore(maxSize, body, null, Ticker.systemTicker());
    for (int i = 0; i < 3; i++) {
      put(small, key("a" + i), filled(body, i));
    }
    small.cleanUp();
    assertThat(small.stats()).as("exactly fits").isEqualTo(new StoreStats(3, 3L * body));

    put(small, key("a3"), filled(body, 3));
    small.cleanUp();
    assertThat(small.stats().entries()).isEqualTo(3);
    assertThat(small.stats().bytes()).isLessThanOrEqualTo(maxSize);
  }

  @Test
  void manySmallEntriesAreBoundedByTheirOverhead() throws IOException {
    MemoryStore small =
        new MemoryStore(10L * MemoryStore.ENTRY_OVERHEAD, 1024, null, Ticker.systemTicker());
    for (int i = 0; i < 50; i++) {
      put(small, key(Integer.toHexString(0x100 + i)), new byte[0]);
    }
    small.cleanUp();
    assertThat(small.stats().entries()).isEqualTo(10);
  }

  @Test
  void doesNotAdmitArtifactsOverTheLimits() throws IOException {
    MemoryStore small = new MemoryStore(1 << 20, 1000, null, Ticker.systemTicker());
    assertThat(small.admits(1000)).isTrue();
    assertThat(small.admits(1001)).isFalse();
    MemoryStore tiny = new MemoryStore(2000, 1 << 20, null, Ticker.systemTicker());
    assertThat(tiny.admits(2000)).as("beyond the total size").isFalse();

    put(small, key("bb"), filled(500, 1));
    assertThatThrownBy(() -> put(small, key("bb"), filled(1001, 2)))
        .isInstanceOf(ArtifactTooLargeException.class);
    assertThat(small.get(key("bb"))).as("the stale smaller version is gone").isEmpty();
  }

  @Test
  void entriesExpireAfterTheTtl() throws IOException {
    AtomicLong nanos = new AtomicLong();
    Ticker ticker = nanos::get;
    MemoryStore expiring = new MemoryStore(1 << 20, 1 << 20, Duration.ofMinutes(60), ticker);
    put(expiring, key("cc"), filled(10, 1));

    nanos.addAndGet(Duration.ofMinutes(59).toNanos());
    assertThat(expiring.head(key("cc"))).isPresent();

    nanos.addAndGet(Duration.ofMinutes(2).toNanos());
    assertThat(expiring.get(key("cc"))).isEmpty();
    assertThat(expiring.head(key("cc"))).isEmpty();
    assertThat(expiring.stats()).isEqualTo(new StoreStats(0, 0));
  }

  @Test
  void buildsFromConfig() throws IOException {
    MemoryStore configured =
        new MemoryStore(
            new TurboCacheConfig.Memory(
                ByteSize.parse("1Mi"), ByteSize.parse("1Ki"), Duration.ofMinutes(5), false));
    assertThat(configured.name()).isEqualTo("memory");
    assertThat(configured.storesUploads()).isFalse();
    assertThat(configured.admits(1024)).isTrue();
    assertThat(configured.admits(1025)).isFalse();
    put(configured, new ArtifactKey("t", "dd"), filled(1024, 1));
    assertThat(configured.stats()).isEqualTo(new StoreStats(1, 1024));
  }
}
