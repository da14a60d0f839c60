package dev.turbocache.server.app;

import static dev.turbocache.server.testing.TestServer.ADMIN;
import static dev.turbocache.server.testing.TestServer.READER;
import static dev.turbocache.server.testing.TestServer.WRITER;
import static dev.turbocache.server.testing.TestServer.artifact;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.turbocache.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OperationsTest {
  @TempDir Path dir;

  @Test
  void healthAndMetricsRoutes() {
    try (TestServer server = TestServer.start(dir)) {
      assertThat(server.get("/healthz/live", null).statusCode()).isEqualTo(200);
      assertThat(server.get("/healthz/ready", null).statusCode()).isEqualTo(200);
      server.put(artifact("ab"), WRITER, new byte[10]);
      server.get(artifact("ab"), READER);
      server.get(artifact("cd"), READER);
      String metrics = new String(server.get("/metrics", null).body());
      assertThat(metrics).contains(
          "turbocache_http_requests_seconds_count{method=\"PUT\",route=\"/v8/artifacts/{hash}\",status=\"202\"} 1");
      assertThat(metrics).contains(
          "turbocache_http_requests_seconds_count{method=\"GET\",route=\"/v8/artifacts/{hash}\",status=\"404\"} 1");
      assertThat(metrics).contains("turbocache_http_requests_seconds_bucket{");
      // memory fills from reads: the upload went to disk, the GET was a disk hit
      assertThat(metrics).contains("turbocache_tier_lookups_total{result=\"hit\",tier=\"disk\"} 1");
      assertThat(metrics).contains("turbocache_tier_lookups_total{result=\"miss\",tier=\"memory\"} 2");
      assertThat(metrics).contains("turbocache_tier_lookups_total{result=\"miss\",tier=\"disk\"} 1");
      assertThat(metrics).contains("jvm_memory_used_bytes");
    }
  }

  @Test
  void artifactsSurviveARestart() {
    try (TestServer server = TestServer.start(dir)) {
      server.put(artifact("a1"), WRITER, "kept".getBytes(), "x-artifact-duration", "77");
    }
    try (TestServer server = TestServer.start(dir)) {
      HttpResponse<byte[]> get = server.get(artifact("a1"), READER);
      assertThat(get.statusCode()).isEqualTo(200);
      assertThat(get.body()).isEqualTo("kept".getBytes());
      assertThat(get.headers().firstValue("x-artifact-duration")).hasValue("77");
    }
  }

  @Test
  void tokensFileChangesApplyWithoutRestart() throws Exception {
    try (TestServer server = TestServer.start(dir)) {
      String added = "fresh-token-eeeeeeeeeeeeeeeeeeee";
      assertThat(server.get(artifact("ab"), added).statusCode()).isEqualTo(401);
      Path tokens = dir.resolve("tokens.yaml");
      Path next = dir.resolve("tokens.next");
      Files.writeString(next, TestServer.TOKENS_YAML.replace(READER, added));
      Files.move(next, tokens, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      await().atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(server.get(artifact("ab"), added).statusCode()).isEqualTo(404));
      assertThat(server.get(artifact("ab"), READER).statusCode()).isEqualTo(401);
    }
  }

  @Test
  void zeroConfigStartGeneratesAWorkingToken() {
    java.util.Map<String, String> env = java.util.Map.of(
        "TURBOCACHE_SERVER_PORT", "0", "TURBOCACHE_SERVER_DATA_DIR", dir.resolve("zc").toString());
    var config = new dev.turbocache.server.config.ConfigLoader().load(null, env);
    try (var server = dev.turbocache.server.app.CacheServer.start(config)) {
      String token = server.generatedToken().orElseThrow();
      assertThat(token).hasSizeGreaterThanOrEqualTo(32);
      assertThat(server.baseUrl()).startsWith("http://127.0.0.1:");
      var http = java.net.http.HttpClient.newHttpClient();
      var request = java.net.http.HttpRequest.newBuilder(
              java.net.URI.create(server.baseUrl() + "/v8/artifacts/status?slug=local"))
          .header("Authorization", "Bearer " + token).build();
      assertThat(http.send(request, java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode())
          .isEqualTo(200);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** Writers replace one hash with bodies that identify their version; readers must never see a mix. */
  @Test
  void concurrentPutAndGetOfOneHashNeverTearABody() throws Exception {
    try (TestServer server = TestServer.start(dir)) {
      AtomicBoolean running = new AtomicBoolean(true);
      ExecutorService pool = Executors.newFixedThreadPool(8);
      List<Future<Integer>> results = new ArrayList<>();
      for (int w = 0; w < 3; w++) {
        int writer = w;
        results.add(pool.submit(() -> {
          int n = 0;
          for (int i = 0; i < 40; i++) {
            byte version = (byte) (writer * 40 + i + 1);
            // Sizes straddle the heap spool limit and the memory tier's admission limit.
            int size = (i % 3 == 0) ? (9 << 20) : (i % 3 == 1 ? 2 << 20 : 100_000);
            byte[] body = new byte[size];
            java.util.Arrays.fill(body, version);
            assertThat(server.put(artifact("c0ffee"), WRITER, body,
                "x-artifact-duration", Integer.toString(version & 0xff)).statusCode()).isEqualTo(202);
            n++;
          }
          return n;
        }));
      }
      List<Future<Integer>> readers = new ArrayList<>();
      for (int r = 0; r < 4; r++) {
        readers.add(pool.submit(() -> {
          int checked = 0;
          while (running.get() || checked == 0) {
            HttpResponse<byte[]> get = server.get(artifact("c0ffee"), READER);
            if (get.statusCode() == 404) {
              continue;
            }
            assertThat(get.statusCode()).isEqualTo(200);
            byte[] body = get.body();
            assertThat(body.length).isIn(9 << 20, 2 << 20, 100_000);
            byte first = body[0];
            for (byte b : body) {
              if (b != first) {
                throw new AssertionError("torn body: mixed versions " + first + " and " + b);
              }
            }
            assertThat(get.headers().firstValue("x-artifact-duration")).hasValue(Integer.toString(first & 0xff));
            checked++;
          }
          return checked;
        }));
      }
      for (Future<Integer> f : results) {
        assertThat(f.get()).isEqualTo(40);
      }
      running.set(false);
      for (Future<Integer> f : readers) {
        assertThat(f.get()).isPositive();
      }
      pool.shutdown();
    }
  }

  @Test
  void adminTokenMayDoEverything() {
    try (TestServer server = TestServer.start(dir)) {
      assertThat(server.put("/v8/artifacts/ab?slug=anyteam", ADMIN, new byte[1]).statusCode()).isEqualTo(202);
      assertThat(server.get("/v8/artifacts/ab?slug=anyteam", ADMIN).statusCode()).isEqualTo(200);
    }
  }
}
