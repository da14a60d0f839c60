package dev.turbocache.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.turbocache.server.artifact.MetadataField;
import dev.turbocache.server.config.ByteSize;
import dev.turbocache.server.storage.ArtifactBody;
import dev.turbocache.server.storage.ArtifactStore;
import dev.turbocache.server.storage.FlakyStore;
import dev.turbocache.server.storage.memory.MemoryStore;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which uploads are stored on the I/O thread that received them. */
class UploadTargetTest {
  private static final int LIMIT = UploadTarget.STORED_ON_IO_THREAD_MAX;

  @Test
  void smallHeapBodiesOfATierThatDoesNotWaitAreStoredOnTheIoThread() {
    UploadTarget target = target(new MemoryStore(1L << 30, 1L << 26, null, Ticker.systemTicker()));

    assertThat(target.storesWithoutWaiting(body(4096))).isTrue();
    assertThat(target.storesWithoutWaiting(body(LIMIT))).isTrue();
    assertThat(target.storesWithoutWaiting(body(LIMIT + 1))).isFalse();
  }

  @Test
  void aStoreThatMayWaitTakesEveryUploadOnAWorker() {
    UploadTarget target = target(new FlakyStore(new MemoryStore(1L << 30, 1L << 26, null, Ticker.systemTicker())));

    assertThat(target.storesWithoutWaiting(body(4096))).isFalse();
  }

  private static UploadTarget target(ArtifactStore store) {
    return new UploadTarget(store, ByteSize.ofBytes(1L << 30), Set.<MetadataField>of(), (exchange, upload) -> {});
  }

  private static ArtifactBody body(int size) {
    return new ArtifactBody.Bytes(new byte[size]);
  }
}
