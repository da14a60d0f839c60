package dev.turbocache.server.http;

import static dev.turbocache.server.testing.TestServer.READER;
import static dev.turbocache.server.testing.TestServer.WRITER;
import static dev.turbocache.server.testing.TestServer.artifact;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.turbocache.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class AccessLogTest {
  @TempDir Path dir;
  private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger(AccessLog.LOGGER);

  @BeforeEach
  void capture() {
    captured.start();
    logger.addAppender(captured);
  }

  @AfterEach
  void release() {
    logger.detachAppender(captured);
  }

  /** The access line of the request with this id (written when the exchange completes). */
  private JsonNode lineFor(String requestId) throws Exception {
    await().atMost(Duration.ofSeconds(10)).until(() -> find(requestId) != null);
    return find(requestId);
  }

  private JsonNode find(String requestId) throws Exception {
    for (ILoggingEvent e : List.copyOf(captured.list)) {
      JsonNode line = Json.MAPPER.readTree(e.getFormattedMessage());
      if (line.path("requestId").asText().equals(requestId)) {
        return line;
      }
    }
    return null;
  }

  @Test
  void oneJsonLinePerRequestWithTheTokenNameButNeverTheToken() throws Exception {
    try (TestServer s = TestServer.start(dir)) {
      HttpResponse<byte[]> put = s.send(s.request(artifact("abc"), WRITER)
          .header("x-request-id", "upload-1")
          .PUT(java.net.http.HttpRequest.BodyPublishers.ofByteArray(new byte[321])).build());
      assertThat(put.headers().firstValue("x-request-id")).hasValue("upload-1");
      JsonNode line = lineFor("upload-1");
      assertThat(line.path("type").asText()).isEqualTo("access");
      assertThat(Instant.parse(line.path(AccessLog.TIMESTAMP_FIELD).asText())).isBeforeOrEqualTo(Instant.now());
      assertThat(line.path("method").asText()).isEqualTo("PUT");
      assertThat(line.path("route").asText()).isEqualTo("/v8/artifacts/{hash}");
      assertThat(line.path("path").asText()).isEqualTo("/v8/artifacts/abc");
      assertThat(line.path("team").asText()).isEqualTo("acme");
      assertThat(line.path("token").asText()).isEqualTo("ci");
      assertThat(line.path("status").asInt()).isEqualTo(202);
      assertThat(line.path("bytesIn").asLong()).isEqualTo(321);
      assertThat(line.path("bytesOut").asLong()).isPositive();
      assertThat(line.path("durationMs").isNumber()).isTrue();

      HttpResponse<byte[]> get = s.get("/v8/artifacts/abc?teamId=team_acme", READER);
      JsonNode read = lineFor(get.headers().firstValue("x-request-id").orElseThrow());
      assertThat(read.path("bytesOut").asLong()).isEqualTo(321);
      assertThat(read.path("token").asText()).isEqualTo("pr-builds");
      assertThat(read.path("team").asText()).isEqualTo("acme");

      HttpResponse<byte[]> readOnly = s.put(artifact("abd"), READER, new byte[5]);
      assertThat(readOnly.statusCode()).isEqualTo(403);
      JsonNode refusedUpload = lineFor(readOnly.headers().firstValue("x-request-id").orElseThrow());
      assertThat(refusedUpload.path("status").asInt()).isEqualTo(403);
      assertThat(refusedUpload.path("token").asText()).as("a refused token is still known").isEqualTo("pr-builds");

      HttpResponse<byte[]> denied = s.get(artifact("abc"), "wrong-token-0000000000000000");
      JsonNode refused = lineFor(denied.headers().firstValue("x-request-id").orElseThrow());
      assertThat(refused.path("status").asInt()).isEqualTo(401);
      assertThat(refused.path("token").isNull()).isTrue();

      for (ILoggingEvent e : List.copyOf(captured.list)) {
        assertThat(e.getFormattedMessage()).doesNotContain(WRITER).doesNotContain(READER)
            .doesNotContain("wrong-token").doesNotContain("\n");
      }
    }
  }

  @Test
  void accessLogCanBeSwitchedOff() {
    try (TestServer s = TestServer.start(dir, Map.of("TURBOCACHE_LOGGING_ACCESS_LOG", "false"))) {
      HttpResponse<byte[]> r = s.get("/healthz/live", null);
      assertThat(r.statusCode()).isEqualTo(200);
      // a request with the log on, through a second server, proves the capture works at all
      try (TestServer on = TestServer.start(java.nio.file.Files.createDirectories(dir.resolve("on")))) {
        String id = on.get("/healthz/live", null).headers().firstValue("x-request-id").orElseThrow();
        await().atMost(Duration.ofSeconds(10)).until(() -> find(id) != null);
      } catch (Exception e) {
        throw new AssertionError(e);
      }
      String offId = r.headers().firstValue("x-request-id").orElseThrow();
      assertThat(captured.list).noneMatch(e -> e.getFormattedMessage().contains(offId));
    }
  }
}
