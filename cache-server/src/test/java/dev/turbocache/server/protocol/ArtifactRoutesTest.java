package dev.turbocache.server.protocol;

import static dev.turbocache.server.testing.TestServer.ADMIN;
import static dev.turbocache.server.testing.TestServer.OTHER_TEAM;
import static dev.turbocache.server.testing.TestServer.READER;
import static dev.turbocache.server.testing.TestServer.WRITER;
import static dev.turbocache.server.testing.TestServer.artifact;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turbocache.server.testing.RawHttp;
import dev.turbocache.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ArtifactRoutesTest {
  @TempDir Path dir;
  @RegisterExtension final TestServer server = TestServer.eachTest(() -> dir);

  static byte[] randomBytes(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void uploadThenDownloadReturnsIdenticalBytesAndMetadata() {
    byte[] body = randomBytes(300_000, 1);
    String tag = "A".repeat(43) + "=";
    HttpResponse<byte[]> put = server.put(artifact("abc123"), WRITER, body,
        "x-artifact-duration", "1234", "x-artifact-tag", tag,
        "x-artifact-sha", "0123456789abcdef0123456789abcdef01234567",
        "x-artifact-dirty-hash", "f".repeat(64), "x-artifact-client-ci", "GITHUB_ACTIONS");
    assertThat(put.statusCode()).isEqualTo(202);
    assertThat(new String(put.body(), StandardCharsets.UTF_8)).isEqualTo("{\"urls\":[\"acme/abc123\"]}");

    HttpResponse<byte[]> get = server.get(artifact("abc123"), READER);
    assertThat(get.statusCode()).isEqualTo(200);
    assertThat(get.body()).isEqualTo(body);
    assertThat(get.headers().firstValue("content-type")).hasValue("application/octet-stream");
    assertThat(get.headers().firstValueAsLong("content-length")).hasValue(body.length);
    assertThat(get.headers().firstValue("x-artifact-duration")).hasValue("1234");
    assertThat(get.headers().firstValue("x-artifact-tag")).hasValue(tag);
    assertThat(get.headers().firstValue("x-artifact-sha")).hasValue("0123456789abcdef0123456789abcdef01234567");
    assertThat(get.headers().firstValue("x-artifact-dirty-hash")).hasValue("f".repeat(64));

    HttpResponse<byte[]> head = server.head(artifact("abc123"), READER);
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
    assertThat(head.headers().firstValueAsLong("content-length")).hasValue(body.length);
    assertThat(head.headers().firstValue("x-artifact-tag")).hasValue(tag);
  }

  @Test
  void largeBodyGoesThroughDiskAndComesBackIntact() {
    byte[] body = randomBytes(24 << 20, 2);
    assertThat(server.put(artifact("b16"), WRITER, body).statusCode()).isEqualTo(202);
    HttpResponse<byte[]> get = server.get(artifact("b16"), WRITER);
    assertThat(get.statusCode()).isEqualTo(200);
    assertThat(get.body()).isEqualTo(body);
  }

  @Test
  void diskTierHitsKeepTheConnectionAlive() throws Exception {
    byte[] body = randomBytes(9 << 20, 3); // above the memory tier's limit: served from disk
    assertThat(server.put(artifact("d15c"), WRITER, body).statusCode()).isEqualTo(202);
    assertThat(RawHttp.keepAliveGets(server.port(), artifact("d15c"), READER, 3))
        .extracting(RawHttp.Response::status)
        .containsExactly(200, 200, 200);
  }

  /**
   * Memory-tier hits and misses of the memory and disk tiers are answered on the I/O thread:
   * with the only worker thread stuck in a stalled upload, they still come back, while a
   * disk-tier hit has to wait for a worker.
   */
  @Test
  void memoryHitsAndMissesDoNotWaitForAWorkerThread() throws Exception {
    try (TestServer oneWorker = TestServer.start(java.nio.file.Files.createDirectories(dir.resolve("one")),
        java.util.Map.of("TURBOCACHE_SERVER_WORKER_THREADS", "1"));
        java.net.Socket stalled = new java.net.Socket("127.0.0.1", oneWorker.port())) {
      byte[] small = randomBytes(1000, 4);
      assertThat(oneWorker.put(artifact("aa11"), WRITER, small).statusCode()).isEqualTo(202);
      // The memory tier fills from reads: this first one comes from disk and promotes it.
      assertThat(oneWorker.get(artifact("aa11"), READER).body()).isEqualTo(small);
      var hitRequest = oneWorker.request(artifact("aa11"), READER)
          .timeout(java.time.Duration.ofSeconds(20)).GET().build();

      stalled.getOutputStream().write(("PUT " + artifact("bb22") + " HTTP/1.1\r\nHost: x\r\n"
          + "Authorization: Bearer " + WRITER + "\r\nContent-Length: 1000\r\n\r\n0123456789")
          .getBytes(StandardCharsets.US_ASCII));
      stalled.getOutputStream().flush();
      org.awaitility.Awaitility.await().until(() -> oneWorker.server().meterRegistry()
          .find("turbocache.http.requests.active").gauges().stream()
          .anyMatch(g -> g.value() >= 1));

      HttpResponse<byte[]> hit = oneWorker.send(hitRequest);
      assertThat(hit.statusCode()).isEqualTo(200);
      assertThat(hit.body()).isEqualTo(small);

      HttpResponse<byte[]> miss = oneWorker.send(oneWorker.request(artifact("cc33"), READER)
          .timeout(java.time.Duration.ofSeconds(20)).GET().build());
      assertThat(miss.statusCode()).isEqualTo(404);
      assertThat(miss.headers().firstValue("content-type")).hasValue("application/json");
      assertThat(miss.body()).as("the bytes the error boundary sends for a miss")
          .isEqualTo(dev.turbocache.server.http.ApiError.notFound("artifact cc33 not found").json());
    }
  }

  /**
   * Disk-tier bodies go out by file transfer, which starts past the file's header: every byte of
   * the body and nothing else, for bodies shorter and longer than one I/O buffer.
   */
  @ParameterizedTest
  @ValueSource(ints = {0, 1, 100, 20_000, 70_000, 3 << 20})
  void diskTierBodiesAreSentExactly(int size) throws Exception {
    try (TestServer diskOnly = TestServer.start(java.nio.file.Files.createDirectories(dir.resolve("disk-only")),
        java.util.Map.of("TURBOCACHE_STORAGE_TIERS", "disk"))) {
      byte[] first = randomBytes(size, size);
      byte[] second = randomBytes(size + 7, size + 1);
      assertThat(diskOnly.put(artifact("f1"), WRITER, first).statusCode()).isEqualTo(202);
      assertThat(diskOnly.put(artifact("f2"), WRITER, second).statusCode()).isEqualTo(202);
      for (String hash : java.util.List.of("f1", "f2")) {
        byte[] expected = hash.equals("f1") ? first : second;
        assertThat(RawHttp.keepAliveGets(diskOnly.port(), artifact(hash), READER, 3))
            .allSatisfy(r -> {
              assertThat(r.status()).isEqualTo(200);
              assertThat(r.body()).isEqualTo(expected);
            });
      }
    }
  }

  @Test
  void expectContinueIsAnswered() throws Exception {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(10_000);
      var out = socket.getOutputStream();
      out.write(("PUT " + artifact("ec") + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + WRITER
          + "\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      byte[] interim = new byte[25];
      int n = socket.getInputStream().readNBytes(interim, 0, interim.length);
      assertThat(new String(interim, 0, n, StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 100 Continue");
      out.write("abc".getBytes(StandardCharsets.US_ASCII));
      out.flush();
    }
    org.awaitility.Awaitility.await().untilAsserted(() ->
        assertThat(server.get(artifact("ec"), READER).body()).isEqualTo("abc".getBytes()));
  }

  @Test
  void emptyBodyIsAValidArtifact() {
    assertThat(server.put(artifact("e0"), WRITER, new byte[0]).statusCode()).isEqualTo(202);
    HttpResponse<byte[]> get = server.get(artifact("e0"), WRITER);
    assertThat(get.statusCode()).isEqualTo(200);
    assertThat(get.body()).isEmpty();
  }

  @Test
  void missIsA404WithJsonError() {
    HttpResponse<byte[]> get = server.get(artifact("deadbeef"), READER);
    assertThat(get.statusCode()).isEqualTo(404);
    assertThat(get.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(new String(get.body(), StandardCharsets.UTF_8)).contains("\"code\":\"not_found\"");
    assertThat(server.head(artifact("deadbeef"), READER).statusCode()).isEqualTo(404);
  }

  @Test
  void overwriteReplacesBodyAndMetadata() {
    server.put(artifact("0a"), WRITER, "first".getBytes(), "x-artifact-duration", "1", "x-artifact-tag", "t1");
    server.put(artifact("0a"), WRITER, "second version".getBytes(), "x-artifact-duration", "2");
    HttpResponse<byte[]> get = server.get(artifact("0a"), WRITER);
    assertThat(new String(get.body())).isEqualTo("second version");
    assertThat(get.headers().firstValue("x-artifact-duration")).hasValue("2");
    assertThat(get.headers().firstValue("x-artifact-tag")).isEmpty();
  }

  @Test
  void teamsAreIsolatedAndTeamIdMapsToSlug() {
    server.put(artifact("cafe"), WRITER, "acme bytes".getBytes());
    assertThat(server.get("/v8/artifacts/cafe?slug=web", ADMIN).statusCode()).isEqualTo(404);
    assertThat(server.get("/v8/artifacts/cafe?teamId=team_acme", READER).body())
        .isEqualTo("acme bytes".getBytes());
    assertThat(server.get("/v8/artifacts/cafe?teamId=team_acme&slug=acme", READER).statusCode()).isEqualTo(200);
    assertThat(server.get("/v8/artifacts/cafe?teamId=team_acme&slug=web", ADMIN).statusCode()).isEqualTo(400);
  }

  @Test
  void readOnlyTokenCannotUpload() {
    HttpResponse<byte[]> put = server.put(artifact("beef"), READER, "poison".getBytes());
    assertThat(put.statusCode()).isEqualTo(403);
    String json = new String(put.body(), StandardCharsets.UTF_8);
    assertThat(json).startsWith("{\"error\":{\"code\":\"forbidden\"").contains("read-only");
    assertThat(server.get(artifact("beef"), ADMIN).statusCode()).isEqualTo(404);
  }

  @Test
  void wrongTeamIsForbiddenAndUnknownTokenUnauthorized() {
    HttpResponse<byte[]> wrongTeam = server.get(artifact("beef"), OTHER_TEAM);
    assertThat(wrongTeam.statusCode()).isEqualTo(403);
    assertThat(new String(wrongTeam.body())).contains("\"code\":\"forbidden\"");

    HttpResponse<byte[]> unknown = server.get(artifact("beef"), "not-a-token");
    assertThat(unknown.statusCode()).isEqualTo(401);
    assertThat(unknown.headers().firstValue("www-authenticate")).isPresent();
    assertThat(new String(unknown.body())).contains("\"code\":\"unauthorized\"");

    assertThat(server.get(artifact("beef"), null).statusCode()).isEqualTo(401);
    assertThat(server.put(artifact("beef"), null, new byte[] {1}).statusCode()).isEqualTo(401);
  }

  @Test
  void missingTeamIsABadRequest() {
    HttpResponse<byte[]> get = server.get("/v8/artifacts/beef", ADMIN);
    assertThat(get.statusCode()).isEqualTo(400);
    assertThat(new String(get.body())).contains("TURBO_TEAM");
  }

  @Test
  void statusReportsEnabledAndNeedsAToken() {
    HttpResponse<byte[]> status = server.get("/v8/artifacts/status?slug=acme", READER);
    assertThat(status.statusCode()).isEqualTo(200);
    assertThat(new String(status.body())).isEqualTo("{\"status\":\"enabled\"}");
    assertThat(server.get("/v8/artifacts/status?slug=acme", null).statusCode()).isEqualTo(401);
    assertThat(server.get("/v8/artifacts/status?slug=acme", OTHER_TEAM).statusCode()).isEqualTo(403);
  }

  @Test
  void preflightAllowsAuthorizationWithoutAToken() {
    HttpResponse<byte[]> options = server.send(server.request(artifact("abc"), null)
        .method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody())
        .header("Access-Control-Request-Method", "PUT")
        .header("Access-Control-Request-Headers", "Authorization, Content-Type, x-artifact-tag")
        .build());
    assertThat(options.statusCode()).isEqualTo(200);
    assertThat(options.headers().firstValue("access-control-allow-headers").orElseThrow().toLowerCase())
        .contains("authorization").contains("x-artifact-tag").contains("x-artifact-duration");
    assertThat(options.headers().firstValue("access-control-allow-methods").orElseThrow())
        .contains("PUT").contains("GET");
    assertThat(options.headers().firstValue("access-control-allow-origin")).hasValue("*");
    for (String path : new String[] {"/v8/artifacts?slug=acme", "/v8/artifacts/events?slug=acme"}) {
      assertThat(server.send(server.request(path, null)
          .method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody()).build()).statusCode())
          .isEqualTo(200);
    }
  }
}
