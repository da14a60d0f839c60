package dev.turbocache.server.jar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.turbocache.server.e2e.FixtureRepo;
import dev.turbocache.server.e2e.TurboCli;
import dev.turbocache.server.e2e.TurboInstallation;
import dev.turbocache.server.testing.RedisSentinelSet;
import dev.turbocache.server.testing.ServerJarProcess;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged server with tiers {@code [memory, redis]} on a real Sentinel set, real turbo runs
 * and a stream of plain uploads while the Redis master is killed: the uploads fail during the
 * failover (Redis is the durable tier, its write breaker opens), and within seconds of the
 * sentinels promoting a replica turbo's uploads reach Redis again and keep doing so.
 */
class RedisFailoverTurboIT {
  /** turbo's warning when an upload (or any cache request) fails. */
  private static final String UPLOAD_WARNING = "failed to contact remote cache";

  @TempDir Path dir;
  RedisSentinelSet redis;
  ServerJarProcess server;
  ExecutorService background;

  @BeforeAll
  static void installTurbo() {
    TurboInstallation.turboBinary();
  }

  @AfterEach
  void stop() throws InterruptedException {
    try {
      if (background != null) {
        background.shutdownNow();
        background.awaitTermination(30, TimeUnit.SECONDS);
      }
      if (server != null) {
        server.close();
      }
    } finally {
      if (redis != null) {
        redis.close();
      }
    }
  }

  @Test
  void uploadsRecoverWithinSecondsOfThePromotion() throws Exception {
    redis = RedisSentinelSet.start(dir.resolve("redis"));
    server = ServerJarProcess.start(dir.resolve("server"), Map.of(
        "TURBOCACHE_STORAGE_TIERS", "memory,redis",
        "TURBOCACHE_STORAGE_REDIS_URI", redis.uri(),
        "TURBOCACHE_LOGGING_ACCESS_LOG", "false"));
    FixtureRepo repo = FixtureRepo.create(dir.resolve("repo"));
    TurboCli cli = new TurboCli(repo.root(), dir.resolve("turbo-home"))
        .remote(server.baseUrl(), server.token(), server.team());
    AtomicInteger run = new AtomicInteger();
    assertThat(uploadsStored(repo, cli, run.incrementAndGet())).as("before the failover").isTrue();

    // Plain uploads all along, as many CI jobs would send: they see the outage.
    ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();
    AtomicBoolean stop = new AtomicBoolean();
    background = Executors.newSingleThreadExecutor();
    Future<?> uploads = background.submit(() -> {
      for (int i = 0; !stop.get(); i++) {
        statuses.add(server.send(server.request("/v8/artifacts/" + Integer.toHexString(0xc0000 + i)
                + "?slug=" + server.team())
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/octet-stream")
            .PUT(BodyPublishers.ofByteArray(new byte[2048]))).statusCode());
      }
      return null;
    });

    redis.killMasterAndAwaitPromotion();
    await("a turbo run whose uploads reach the promoted master")
        .atMost(Duration.ofSeconds(15)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
        .until(() -> uploadsStored(repo, cli, run.incrementAndGet()));
    for (int i = 0; i < 3; i++) {
      int n = run.incrementAndGet();
      TurboCli.Result result = build(repo, cli, n);
      // The server's log says which Redis error (and breaker state) a failure came from.
      assertThat(result.output()).as(() -> "turbo run " + n + " after recovery; " + server)
          .doesNotContain(UPLOAD_WARNING);
      assertThat(allStored(result)).as("turbo run %d after recovery stored its uploads", n).isTrue();
    }
    stop.set(true);
    uploads.get(30, TimeUnit.SECONDS);

    List<Integer> seen = List.copyOf(statuses);
    assertThat(seen).as("uploads failed while Redis had no master").contains(503);
    assertThat(seen.getLast()).as("and are stored again").isEqualTo(202);
  }

  /** A turbo run with a new input, so both tasks miss and upload; whether the server has them. */
  private boolean uploadsStored(FixtureRepo repo, TurboCli cli, int n) {
    return allStored(build(repo, cli, n));
  }

  private TurboCli.Result build(FixtureRepo repo, TurboCli cli, int n) {
    repo.write("packages/a/input.txt", "run " + n + "\n");
    TurboCli.Result r = cli.run("run", "build", "--summarize");
    assertThat(r.timedOut()).as("%s", r).isFalse();
    assertThat(r.exitCode()).as("%s", r).isZero();
    return r;
  }

  private boolean allStored(TurboCli.Result result) {
    return result.summary().hashes().stream().allMatch(hash ->
        server.send(server.request("/v8/artifacts/" + hash + "?slug=" + server.team())
            .method("HEAD", BodyPublishers.noBody())).statusCode() == 200);
  }
}
