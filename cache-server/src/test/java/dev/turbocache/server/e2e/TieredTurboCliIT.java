package dev.turbocache.server.e2e;

import static dev.turbocache.server.e2e.E2ECacheServer.READWRITE_TOKEN;
import static dev.turbocache.server.e2e.E2ECacheServer.TEAM;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turbocache.server.storage.ArtifactStore;
import dev.turbocache.server.testing.RedisProcess;
import dev.turbocache.server.testing.S3ProxyFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every turbo CLI scenario again, against memory → Redis → S3 with real Redis and S3 APIs; plus a
 * run whose hits can only come from S3.
 */
class TieredTurboCliIT extends TurboCliIT {
  private static Path backends;
  private static RedisProcess redis;
  private static S3ProxyFixture s3;

  @BeforeAll
  static void startBackends() throws Exception {
    backends = Files.createTempDirectory("tiered-e2e");
    redis = RedisProcess.start(backends.resolve("redis"));
    s3 = S3ProxyFixture.start(backends.resolve("s3"));
  }

  @AfterAll
  static void stopBackends() throws Exception {
    if (s3 != null) {
      s3.close();
    }
    if (redis != null) {
      redis.close();
    }
    RedisProcess.deleteTree(backends);
  }

  /** A fresh bucket and Redis prefix per test: every fixture copy produces the same hashes. */
  @Override
  protected E2ECacheServer startServer(Path dir) {
    String bucket = s3.createBucket();
    return E2ECacheServer.start(dir, Map.of(
        "TURBOCACHE_STORAGE_TIERS", "memory,redis,s3",
        "TURBOCACHE_STORAGE_REDIS_URI", "redis://127.0.0.1:" + redis.port() + "/0",
        "TURBOCACHE_STORAGE_REDIS_KEY_PREFIX", bucket + ":",
        "TURBOCACHE_STORAGE_S3_BUCKET", bucket,
        "TURBOCACHE_STORAGE_S3_ENDPOINT", s3.endpoint().toString(),
        "TURBOCACHE_STORAGE_S3_FORCE_PATH_STYLE", "true",
        "TURBOCACHE_STORAGE_S3_REGION", S3ProxyFixture.REGION,
        "TURBOCACHE_STORAGE_S3_ACCESS_KEY_ID", S3ProxyFixture.IDENTITY,
        "TURBOCACHE_STORAGE_S3_SECRET_ACCESS_KEY", S3ProxyFixture.CREDENTIAL));
  }

  @Test
  void hitsComeFromS3WhenTheUpperTiersAreEmpty() throws IOException {
    TurboCli cli = turbo().remote(server.baseUrl(), READWRITE_TOKEN, TEAM);
    var cold = build(cli).summary();
    for (ArtifactStore tier : server.server().store().tiers()) {
      if (!tier.name().equals("s3")) {
        tier.clear();
      }
    }
    repo.wipeLocalState();

    assertRemoteHits(build(cli), cold.hashes());
    String metrics = server.metrics();
    assertThat(metrics).contains("turbocache_tier_lookups_total{result=\"hit\",tier=\"s3\"} 2.0");
    assertThat(metrics).contains("turbocache_tier_promotions_total{tier=\"redis\"} 2.0");
  }
}
