package dev.turbocache.server.protocol;

import static dev.turbocache.server.testing.TestServer.READER;
import static dev.turbocache.server.testing.TestServer.WRITER;
import static dev.turbocache.server.testing.TestServer.artifact;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turbocache.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class BatchAndEventsTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  @RegisterExtension final TestServer server = TestServer.eachTest(() -> dir);

  @Test
  void batchQueryAnswersHitsMissesAndInvalidHashes() throws Exception {
    server.put(artifact("aa11"), WRITER, new byte[42], "x-artifact-duration", "900", "x-artifact-tag", "sig");
    server.put(artifact("bb22"), WRITER, new byte[7]);
    HttpResponse<byte[]> r = server.postJson("/v8/artifacts?slug=acme", READER,
        "{\"hashes\":[\"aa11\",\"bb22\",\"cc33\",\"../x\"]}");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.get("aa11").get("size").asLong()).isEqualTo(42);
    assertThat(body.get("aa11").get("taskDurationMs").asLong()).isEqualTo(900);
    assertThat(body.get("aa11").get("tag").asText()).isEqualTo("sig");
    assertThat(body.get("bb22").get("taskDurationMs").asLong()).isZero();
    assertThat(body.get("bb22").has("tag")).isFalse();
    assertThat(body.get("cc33").isNull()).isTrue();
    assertThat(body.get("../x").get("error").get("message").asText()).isEqualTo("invalid hash");
  }

  @Test
  void batchQueryIsBounded() {
    String hashes = String.join(",", Collections.nCopies(1001, "\"ab\""));
    HttpResponse<byte[]> r = server.postJson("/v8/artifacts?slug=acme", READER, "{\"hashes\":[" + hashes + "]}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(new String(r.body())).contains("at most 1000");
  }

  @Test
  void batchQueryNeedsTeamAccess() {
    assertThat(server.postJson("/v8/artifacts?slug=web", READER, "{\"hashes\":[]}").statusCode()).isEqualTo(403);
    assertThat(server.postJson("/v8/artifacts?slug=acme", null, "{\"hashes\":[]}").statusCode()).isEqualTo(401);
  }

  @Test
  void eventsAreCountedByReadTokens() {
    String events = """
        [{"sessionId":"0b6c1f43-6f43-4b7b-9f1f-1f0b6c1f4300","source":"LOCAL","event":"MISS","hash":"aa","duration":0},
         {"sessionId":"0b6c1f43-6f43-4b7b-9f1f-1f0b6c1f4300","source":"REMOTE","event":"HIT","hash":"bb","duration":120},
         {"sessionId":"0b6c1f43-6f43-4b7b-9f1f-1f0b6c1f4300","source":"REMOTE","event":"HIT","hash":"cc","duration":80}]
        """;
    assertThat(server.postJson("/v8/artifacts/events?slug=acme", READER, events).statusCode()).isEqualTo(200);
    String metrics = new String(server.get("/metrics", null).body());
    assertThat(metrics).contains("turbocache_client_events_total{event=\"hit\",source=\"remote\"} 2.0");
    assertThat(metrics).contains("turbocache_client_events_total{event=\"miss\",source=\"local\"} 1.0");
  }

  @Test
  void invalidEventsAreRejectedWithoutCountingAny() {
    String events = "[{\"source\":\"REMOTE\",\"event\":\"HIT\"},{\"source\":\"SPACE\",\"event\":\"HIT\"}]";
    HttpResponse<byte[]> r = server.postJson("/v8/artifacts/events?slug=acme", READER, events);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(new String(r.body())).contains("event 1");
    assertThat(new String(server.get("/metrics", null).body())).doesNotContain("turbocache_client_events_total{");
  }
}
