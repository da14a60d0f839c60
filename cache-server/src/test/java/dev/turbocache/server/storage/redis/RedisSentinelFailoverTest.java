package dev.turbocache.server.storage.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.turbocache.server.artifact.ArtifactKey;
import dev.turbocache.server.artifact.ArtifactMetadata;
import dev.turbocache.server.config.ByteSize;
import dev.turbocache.server.config.ConfigLoader;
import dev.turbocache.server.config.TurboCacheConfig;
import dev.turbocache.server.storage.Artifact;
import dev.turbocache.server.storage.ArtifactBody;
import dev.turbocache.server.storage.CircuitBreakingStore;
import dev.turbocache.server.storage.Storage;
import dev.turbocache.server.storage.StorageFactory;
import dev.turbocache.server.storage.TieredStore;
import dev.turbocache.server.testing.RedisProcess;
import dev.turbocache.server.testing.RedisSentinelSet;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Sentinel failover under load: 1 master, 2 replicas, 3 sentinels (quorum 2), a {@link
 * TieredStore} of [redis via {@code redis-sentinel://}, disk] built by the {@link StorageFactory},
 * client threads putting and getting known artifacts while the master is killed.
 */
class RedisSentinelFailoverTest {

  private static final int KEYS = 64;
  private static final int WORKERS = 4;

  @TempDir Path dir;

  private RedisSentinelSet redis;
  private TieredStore tiered;
  private ExecutorService pool;

  @AfterEach
  void tearDown() throws InterruptedException {
    try {
      if (pool != null) {
        pool.shutdownNow();
        pool.awaitTermination(10, TimeUnit.SECONDS);
      }
      if (tiered != null) {
        tiered.close();
      }
    } finally {
      if (redis != null) {
        redis.close();
      }
    }
  }

  @Test
  void clientsKeepWorkingThroughAFailoverAndTheRedisTierServesHitsAgain() throws Exception {
    redis = RedisSentinelSet.start(dir);
    assertThat(redis.masterPort()).isEqualTo(redis.master().port());
    String uri = redis.uri();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Path dataDir = dir.resolve("data");
    Storage storage = StorageFactory.create(storage(uri), dataDir,
        StorageFactory.spooler(dataDir, 16 << 20), registry);
    tiered = storage.store();
    // The factory puts each fallible tier behind a circuit breaker; talk to Redis directly too.
    RedisStore redisStore =
        (RedisStore) ((CircuitBreakingStore) storage.tiers().getFirst().delegate()).delegate();
    putThrough(tiered, key(0), body(0));
    assertThat(read(redisStore.get(key(0)))).as("redis tier works before the failover")
        .isEqualTo(body(0));

    ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    Set<Integer> written = ConcurrentHashMap.newKeySet();
    written.add(0);
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong operations = new AtomicLong();
    pool = Executors.newFixedThreadPool(WORKERS);
    List<Future<?>> workers = new ArrayList<>();
    for (int w = 0; w < WORKERS; w++) {
      long seed = w;
      workers.add(pool.submit(() -> {
        Random random = new Random(seed);
        while (!stop.get()) {
          int i = random.nextInt(KEYS);
          if (random.nextInt(3) == 0) {
            try {
              putThrough(tiered, key(i), body(i));
              written.add(i);
            } catch (IOException | RuntimeException e) {
              problems.add("put " + i + " failed: " + e);
            }
          } else {
            boolean wasWritten = written.contains(i);
            try {
              Optional<Artifact> hit = tiered.get(key(i));
              if (hit.isPresent()) {
                if (!Arrays.equals(read(hit), body(i))) {
                  problems.add("wrong bytes for " + i);
                }
              } else if (wasWritten) {
                problems.add("miss for written key " + i);
              }
            } catch (IOException | RuntimeException e) {
              problems.add("get " + i + " failed: " + e);
            }
          }
          operations.incrementAndGet();
        }
        return null;
      }));
    }

    await().atMost(Duration.ofSeconds(10)).until(() -> operations.get() >= 200);
    String promoted = Integer.toString(redis.killMasterAndAwaitPromotion());
    assertThat(promoted).isIn(redis.replicas().stream().map(r -> Integer.toString(r.port())).toList());

    // The same store, not a new one, reaches the promoted master.
    double hitsAfterPromotion = lookups(registry, "hit");
    await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
      redisStore.put(key(KEYS), metadata(body(KEYS)), new ArtifactBody.Bytes(body(KEYS)));
      assertThat(read(redisStore.get(key(KEYS)))).isEqualTo(body(KEYS));
    });
    // Through the tiers, once the circuit breaker (open during the outage) has probed Redis again.
    await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
      putThrough(tiered, key(KEYS + 1), body(KEYS + 1));
      assertThat(read(tiered.get(key(KEYS + 1)))).isEqualTo(body(KEYS + 1));
      assertThat(lookups(registry, "hit")).as("redis tier hits after the failover")
          .isGreaterThan(hitsAfterPromotion);
    });
    assertThat(RedisProcess.call(Integer.parseInt(promoted), null, "EXISTS",
        redisStore.redisKey(key(KEYS + 1)))).isEqualTo(1L);

    long operationsAfterRecovery = operations.get();
    await().atMost(Duration.ofSeconds(10))
        .until(() -> operations.get() >= operationsAfterRecovery + 200);
    stop.set(true);
    for (Future<?> worker : workers) {
      worker.get(10, TimeUnit.SECONDS);
    }

    assertThat(problems).isEmpty();
    assertThat(lookups(registry, "error")).as("the clients saw the master go away")
        .isPositive();
  }

  private static TurboCacheConfig.Storage storage(String redisUri) {
    TurboCacheConfig.Storage defaults = new ConfigLoader().defaults().storage();
    return new TurboCacheConfig.Storage(
        List.of("redis", "disk"),
        "write-through",
        defaults.memory(),
        new TurboCacheConfig.Disk(null, ByteSize.parse("64Mi"), ByteSize.parse("8Mi"), false),
        new TurboCacheConfig.Redis(redisUri, "", "", "fo:", Duration.ofHours(1),
            ByteSize.parse("1Mi"), Duration.ofSeconds(1), Duration.ofSeconds(1)),
        defaults.s3(),
        defaults.writeBack(),
        defaults.circuitBreaker());
  }

  private static double lookups(SimpleMeterRegistry registry, String result) {
    return registry.get("turbocache.tier.lookups").tags("tier", "redis", "result", result)
        .counter().count();
  }

  private static ArtifactKey key(int i) {
    return new ArtifactKey("team", Integer.toHexString(0x100 + i));
  }

  /** The one body key {@code i} ever holds, so any other bytes are wrong. */
  private static byte[] body(int i) {
    byte[] bytes = new byte[1000 + i * 37];
    new Random(i).nextBytes(bytes);
    return bytes;
  }

  private static ArtifactMetadata metadata(byte[] body) {
    return new ArtifactMetadata(body.length, null, null, null, null, null, null);
  }

  private static void putThrough(TieredStore store, ArtifactKey key, byte[] body)
      throws IOException {
    store.put(key, metadata(body), new ArtifactBody.Bytes(body));
  }

  private static byte[] read(Optional<Artifact> hit) throws IOException {
    assertThat(hit).as("expected a hit").isPresent();
    try (Artifact artifact = hit.get(); InputStream in = artifact.body().openStream()) {
      return in.readAllBytes();
    }
  }
}
