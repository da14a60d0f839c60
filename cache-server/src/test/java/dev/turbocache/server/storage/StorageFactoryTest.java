package dev.turbocache.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turbocache.server.artifact.ArtifactKey;
import dev.turbocache.server.artifact.ArtifactMetadata;
import dev.turbocache.server.config.ByteSize;
import dev.turbocache.server.config.ConfigException;
import dev.turbocache.server.config.ConfigLoader;
import dev.turbocache.server.config.TurboCacheConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageFactoryTest {
  @TempDir Path dataDir;

  private static TurboCacheConfig.Storage storage(List<String> tiers, Path diskPath) {
    TurboCacheConfig.Storage defaults = new ConfigLoader().defaults().storage();
    return new TurboCacheConfig.Storage(
        tiers,
        "write-through",
        new TurboCacheConfig.Memory(ByteSize.parse("1Mi"), ByteSize.parse("64Ki"), Duration.ofHours(1), false),
        new TurboCacheConfig.Disk(diskPath, ByteSize.parse("10Mi"), ByteSize.parse("1Mi"), true),
        defaults.redis(),
        defaults.s3(),
        defaults.writeBack(),
        defaults.circuitBreaker());
  }

  private TieredStore create(TurboCacheConfig.Storage storage) throws IOException {
    return StorageFactory.create(storage, dataDir, StorageFactory.spooler(dataDir, 1 << 20),
        new SimpleMeterRegistry()).store();
  }

  @Test
  void buildsTiersInConfiguredOrderWithDefaultDiskPath() throws IOException {
    try (TieredStore store = create(storage(List.of("memory", "disk"), null))) {
      assertThat(store.tiers()).extracting(ArtifactStore::name).containsExactly("memory", "disk");
      store.put(new ArtifactKey("t", "ab"), new ArtifactMetadata(1, null, null, null, null, null, null),
          new ArtifactBody.Bytes(new byte[] {1}));
    }
    assertThat(dataDir.resolve("artifacts").resolve("t").resolve("ab")).isDirectory();
    assertThat(dataDir.resolve("spool")).isDirectory();

    try (TieredStore store = create(storage(List.of("disk", "memory"), Path.of("")))) {
      assertThat(store.tiers()).extracting(ArtifactStore::name).containsExactly("disk", "memory");
      assertThat(store.stats().entries()).as("memory is the bottom tier now").isZero();
      assertThat(store.tiers().getFirst().stats().entries()).isEqualTo(1);
    }
  }

  @Test
  void usesConfiguredDiskPath() throws IOException {
    Path custom = dataDir.resolve("elsewhere");
    try (TieredStore store = create(storage(List.of("disk"), custom))) {
      store.put(new ArtifactKey("t", "cd"), new ArtifactMetadata(0, null, null, null, null, null, null),
          new ArtifactBody.Bytes(new byte[0]));
    }
    assertThat(custom.resolve("t").resolve("cd")).isDirectory();
  }

  @Test
  void rejectsUnknownTier() {
    assertThatThrownBy(() -> create(storage(List.of("memory", "tape"), null)))
        .isInstanceOf(ConfigException.class).hasMessageContaining("tape");
  }
}
