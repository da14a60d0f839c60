package dev.turbocache.server.http;

import static dev.turbocache.server.testing.TestServer.ADMIN;
import static dev.turbocache.server.testing.TestServer.WRITER;
import static dev.turbocache.server.testing.TestServer.artifact;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.turbocache.server.testing.RawHttp;
import dev.turbocache.server.testing.TestServer;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HostileInputTest {
  @TempDir Path dir;
  @RegisterExtension
  final TestServer server =
      TestServer.eachTest(() -> dir, java.util.Map.of("TURBOCACHE_SERVER_MAX_ARTIFACT_SIZE", "1Mi"));

  @ParameterizedTest
  @ValueSource(strings = {
      "not-hex", "abcg", "..", "..%2F..%2Fetc%2Fpasswd", "%2e%2e%2f%2e%2e%2fetc", "abc%00def",
      "%2E%2E", "abc.def", "-1"})
  void hashesThatAreNotHexAreRejected(String hash) {
    HttpResponse<byte[]> put = server.put("/v8/artifacts/" + hash + "?slug=acme", WRITER, "x".getBytes());
    assertThat(put.statusCode()).isBetween(400, 404);
    assertThat(put.headers().firstValue("content-type")).hasValue("application/json");
    HttpResponse<byte[]> get = server.get("/v8/artifacts/" + hash + "?slug=acme", WRITER);
    assertThat(get.statusCode()).isBetween(400, 404);
    assertThat(new String(get.body())).startsWith("{\"error\":");
  }

  @Test
  void pathTraversalNeverWritesOutsideTheStore() throws IOException {
    for (String path : new String[] {
        "/v8/artifacts/../../escape?slug=acme", "/v8/artifacts/..%2F..%2Fescape?slug=acme",
        "/v8/artifacts/abc?slug=../../escape", "/v8/artifacts/abc?slug=..%2F..%2Fescape",
        "/v8/artifacts/abc?teamId=team_..%2Fescape"}) {
      String response = RawHttp.exchange(server.port(),
          "PUT " + path + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + ADMIN + "\r\nContent-Length: 3",
          "bad".getBytes());
      assertThat(RawHttp.status(response)).as(path).isBetween(400, 404);
    }
    try (Stream<Path> files = Files.walk(dir)) {
      assertThat(files.filter(p -> p.getFileName().toString().contains("escape"))).isEmpty();
    }
  }

  @Test
  void overLongHashIsRejectedAndLongestValidAccepted() {
    assertThat(server.put(artifact("a".repeat(129)), WRITER, new byte[1]).statusCode()).isEqualTo(400);
    assertThat(server.put(artifact("a".repeat(128)), WRITER, new byte[1]).statusCode()).isEqualTo(202);
  }

  @Test
  void badTeamNamesAreRejected() {
    assertThat(server.get("/v8/artifacts/abc?slug=" + "t".repeat(65), ADMIN).statusCode()).isEqualTo(400);
    assertThat(server.get("/v8/artifacts/abc?slug=a%20b", ADMIN).statusCode()).isEqualTo(400);
    assertThat(server.get("/v8/artifacts/abc?slug=acme&slug=web", ADMIN).statusCode()).isEqualTo(400);
  }

  @Test
  void tagLongerThan600CharactersIsRejected() {
    HttpResponse<byte[]> put = server.put(artifact("ab"), WRITER, "x".getBytes(), "x-artifact-tag", "t".repeat(601));
    assertThat(put.statusCode()).isEqualTo(400);
    assertThat(new String(put.body())).contains("x-artifact-tag");
    assertThat(server.put(artifact("ab"), WRITER, "x".getBytes(), "x-artifact-tag", "t".repeat(600)).statusCode())
        .isEqualTo(202);
  }

  @Test
  void nonNumericDurationIsRejected() {
    assertThat(server.put(artifact("ab"), WRITER, "x".getBytes(), "x-artifact-duration", "soon").statusCode())
        .isEqualTo(400);
    assertThat(server.put(artifact("ab"), WRITER, "x".getBytes(), "x-artifact-duration", "-5").statusCode())
        .isEqualTo(400);
  }

  @Test
  void uploadLargerThanTheLimitIsRefusedBeforeReading() throws IOException {
    String response = RawHttp.exchange(server.port(),
        "PUT " + artifact("ab") + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + WRITER
            + "\r\nContent-Length: " + (2 << 20), new byte[0]);
    assertThat(RawHttp.status(response)).as(response).isEqualTo(413);
    assertThat(RawHttp.body(response)).contains("\"code\":\"artifact_too_large\"").contains("server.maxArtifactSize");
  }

  @Test
  void absurdContentLengthIsRejected() throws IOException {
    for (String length : new String[] {"99999999999999999999999", "-1", "12abc"}) {
      String response = RawHttp.exchange(server.port(),
          "PUT " + artifact("ab") + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + WRITER
              + "\r\nContent-Length: " + length, new byte[0]);
      assertThat(RawHttp.status(response)).as(length).isBetween(400, 413);
    }
    assertThat(server.get(artifact("ab"), ADMIN).statusCode()).isEqualTo(404);
  }

  @Test
  void chunkedUploadWithoutContentLengthGets411() throws IOException {
    String response = RawHttp.exchange(server.port(),
        "PUT " + artifact("ab") + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + WRITER
            + "\r\nTransfer-Encoding: chunked", "3\r\nabc\r\n0\r\n\r\n".getBytes());
    assertThat(RawHttp.status(response)).isEqualTo(411);
    assertThat(RawHttp.body(response)).contains("\"code\":\"length_required\"");
    assertThat(server.get(artifact("ab"), ADMIN).statusCode()).isEqualTo(404);
  }

  @Test
  void uploadCutOffMidwayLeavesNothingBehind() throws IOException {
    RawHttp.truncatedUpload(server.port(), artifact("cc"), WRITER, 500_000, new byte[200_000]);
    Path spool = dir.resolve("data").resolve("spool");
    // The server notices the closed connection, discards the partial spool file, and stores nothing.
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      try (Stream<Path> files = Files.exists(spool) ? Files.list(spool) : Stream.empty()) {
        assertThat(files).isEmpty();
      }
      assertThat(server.get("/metrics", null).body()).asString()
          .contains("route=\"/v8/artifacts/{hash}\",status=\"400\"");
    });
    assertThat(server.get(artifact("cc"), ADMIN).statusCode()).isEqualTo(404);
  }

  @Test
  void malformedJsonOnBatchAndEventsIsA400() {
    for (String path : new String[] {"/v8/artifacts?slug=acme", "/v8/artifacts/events?slug=acme"}) {
      for (String body : new String[] {"{", "null", "", "[1,2", "\"text\"", "{\"hashes\":5}",
          "{\"hashes\":[{}]}", "[{\"source\":[]}]", "{\"hashes\":[\"a\"] x"}) {
        HttpResponse<byte[]> r = server.postJson(path, WRITER, body);
        assertThat(r.statusCode()).as(path + " " + body).isEqualTo(400);
        String text = new String(r.body());
        assertThat(text).startsWith("{\"error\":{\"code\":\"bad_request\"");
        // What was wrong with the input, never the server's insides.
        assertThat(text).as(path + " " + body)
            .doesNotContain("dev.turbocache", "java.", "Cannot deserialize", "`", "Source:");
      }
    }
  }

  @Test
  void jsonErrorsSayWhereAndWhatInTermsOfTheJson() {
    String wrongType = new String(
        server.postJson("/v8/artifacts?slug=acme", WRITER, "{\"hashes\":5}").body());
    assertThat(wrongType).contains("$.hashes").contains("expected an array, got a number");
    String wrongElement = new String(
        server.postJson("/v8/artifacts?slug=acme", WRITER, "{\"hashes\":[\"ab\", {}]}").body());
    assertThat(wrongElement).contains("$.hashes[1]").contains("expected a string, got an object");
    String syntax = new String(
        server.postJson("/v8/artifacts?slug=acme", WRITER, "{\"hashes\":[\"ab\",").body());
    assertThat(syntax).contains("invalid JSON at line 1, column").contains("end-of-input");
    String shape = new String(server.postJson("/v8/artifacts?slug=acme", WRITER, "[1,2]").body());
    assertThat(shape).contains("expected an object, got an array");
  }

  @Test
  void unknownRoutesAndMethodsAnswerJson() {
    HttpResponse<byte[]> unknown = server.get("/v9/nothing", ADMIN);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.headers().firstValue("content-type")).hasValue("application/json");
    HttpResponse<byte[]> wrongMethod = server.send(server.request(artifact("ab"), WRITER)
        .DELETE().build());
    assertThat(wrongMethod.statusCode()).isEqualTo(405);
    assertThat(new String(wrongMethod.body())).contains("method_not_allowed");
  }
}
