package dev.turbocache.server.storage.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turbocache.server.artifact.ArtifactKey;
import dev.turbocache.server.artifact.ArtifactMetadata;
import dev.turbocache.server.storage.Artifact;
import dev.turbocache.server.storage.ArtifactBody;
import dev.turbocache.server.testing.RedisProcess;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The READONLY trap: the store's connection still points at a master that has meanwhile been
 * demoted to a replica (here: told {@code REPLICAOF} the new master directly, which — unlike a
 * Sentinel reconfiguration — does not drop client connections). The store must drop that
 * connection, connect afresh and retry the write on the new master. The connector stands in for
 * the sentinel lookup: its first connection goes to the old master, later ones to the new one.
 */
class RedisReadOnlyTest {

  @TempDir Path dir;

  private RedisProcess oldMaster;
  private RedisProcess newMaster;
  private RedisClient client;
  private RedisStore store;

  @AfterEach
  void tearDown() {
    try {
      if (store != null) {
        store.close();
      }
      if (client != null) {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      }
    } finally {
      if (oldMaster != null) {
        oldMaster.kill();
      }
      if (newMaster != null) {
        newMaster.kill();
      }
    }
  }

  @Test
  void aReadOnlyReplyReplacesTheConnectionAndRetriesOnTheCurrentMaster() throws IOException {
    oldMaster = RedisProcess.start(dir);
    newMaster = RedisProcess.start(dir);
    client = RedisClient.create();
    AtomicInteger connects = new AtomicInteger();
    RedisConnector connector = new RedisConnector() {
      @Override
      public CompletableFuture<StatefulRedisConnection<String, byte[]>> connect() {
        int port = connects.getAndIncrement() == 0 ? oldMaster.port() : newMaster.port();
        return client.connectAsync(LettuceConnector.CODEC, RedisURI.create("127.0.0.1", port))
            .toCompletableFuture();
      }

      @Override
      public String describe() {
        return "test connector";
      }

      @Override
      public void close() {}
    };
    store = new RedisStore(connector, "ro:", Duration.ofHours(1), 1 << 20,
        Duration.ofSeconds(5), Duration.ofSeconds(2));
    ArtifactKey first = new ArtifactKey("team", "a1");
    put(first, new byte[] {1, 2, 3});
    assertThat(oldMaster.call("EXISTS", "ro:team:a1")).isEqualTo(1L);

    oldMaster.call("REPLICAOF", "127.0.0.1", Integer.toString(newMaster.port()));

    ArtifactKey second = new ArtifactKey("team", "b2");
    put(second, new byte[] {4, 5, 6, 7}); // READONLY on the old master, retried on the new one
    assertThat(newMaster.call("EXISTS", "ro:team:b2")).isEqualTo(1L);
    try (Artifact hit = store.get(second).orElseThrow()) {
      assertThat(((ArtifactBody.Bytes) hit.body()).toArray()).containsExactly(4, 5, 6, 7);
    }
    assertThat(connects.get()).isEqualTo(2);
    assertThat(store.connectionsOpened()).isEqualTo(2);
  }

  private void put(ArtifactKey key, byte[] body) throws IOException {
    store.put(key, new ArtifactMetadata(body.length, null, null, null, null, null, null),
        new ArtifactBody.Bytes(body));
  }
}
