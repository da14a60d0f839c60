package dev.turbocache.server.http;

import static dev.turbocache.server.testing.TestServer.WRITER;
import static dev.turbocache.server.testing.TestServer.artifact;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.turbocache.server.testing.RawHttp;
import dev.turbocache.server.testing.StalledClients;
import dev.turbocache.server.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Uploads in progress are capped in all and per client address: stalled uploads from two other
 * addresses take the slots, the next upload from a full address gets 429, from anywhere else 503,
 * both with {@code Retry-After}, and the slots come back when the stalled uploads go away.
 */
class UploadLimitsTest {
  @TempDir Path dir;
  @RegisterExtension
  final TestServer server = TestServer.eachTest(() -> dir, Map.of(
      "TURBOCACHE_SERVER_MAX_CONCURRENT_UPLOADS", "4",
      "TURBOCACHE_SERVER_MAX_CONCURRENT_UPLOADS_PER_CLIENT", "2"));

  static String stalledUpload(String hash) {
    return "PUT " + artifact(hash) + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + WRITER
        + "\r\nContent-Type: application/octet-stream\r\nContent-Length: 100000\r\n\r\n0123456789";
  }

  @Test
  void fullSlotsAnswer429PerClientAnd503InAllAndFreeUpWhenUploadsEnd() throws Exception {
    try (StalledClients first = StalledClients.open("127.0.0.2", server.port(), 2, stalledUpload("aa01"), 0)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> metric("turbocache_uploads_in_progress") == 2);
      try (StalledClients third = StalledClients.open("127.0.0.2", server.port(), 1, stalledUpload("aa02"), 0)) {
        await().atMost(Duration.ofSeconds(30)).until(() -> third.closedByServer() == 1);
        String answer = third.answers().getFirst().head();
        assertThat(answer).startsWith("HTTP/1.1 429 ").containsIgnoringCase("retry-after: 1")
            .contains("\"code\":\"too_many_uploads\"");
      }
      try (StalledClients others = StalledClients.open("127.0.0.3", server.port(), 2, stalledUpload("aa03"), 0)) {
        await().atMost(Duration.ofSeconds(10)).until(() -> metric("turbocache_uploads_in_progress") == 4);
        // Sent once: the refusals are counted below.
        String busy = RawHttp.putOnce(server.port(), artifact("aa04"), WRITER, new byte[1000]);
        assertThat(busy).startsWith("HTTP/1.1 503 ").containsIgnoringCase("\r\nretry-after: 1\r\n");
        assertThat(RawHttp.body(busy)).contains("\"code\":\"server_busy\"");
        assertThat(server.get("/healthz/live", null).statusCode()).isEqualTo(200);
      }
    }
    await("slots released when the stalled uploads are gone").atMost(Duration.ofSeconds(10))
        .until(() -> metric("turbocache_uploads_in_progress") == 0);
    assertThat(server.put(artifact("aa04"), WRITER, new byte[1000]).statusCode()).isEqualTo(202);
    assertThat(metric("turbocache_uploads_refused_total{reason=\"client_busy\"}")).isEqualTo(1);
    assertThat(metric("turbocache_uploads_refused_total{reason=\"server_busy\"}")).isEqualTo(1);
  }

  double metric(String series) {
    String text = new String(server.get("/metrics", null).body());
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
    return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
  }
}
