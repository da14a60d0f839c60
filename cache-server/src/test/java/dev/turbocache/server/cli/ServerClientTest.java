package dev.turbocache.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.turbocache.server.testing.DroppedAnswerServer;
import dev.turbocache.server.testing.DroppedAnswerServer.Request;
import java.io.ByteArrayInputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The admin client against a server that closes a kept-alive connection without answering the
 * request sent on it: what it sends again, and what it refuses to. Every test JVM has the JDK
 * setting that {@link CliHttpClient} makes (the pom sets it); that the packaged CLI makes it itself
 * is {@code CliJarIT}'s.
 */
class ServerClientTest {
  private static byte[] bytes(int length, int seed) {
    byte[] b = new byte[length];
    for (int i = 0; i < length; i++) {
      b[i] = (byte) (i * 31 + seed);
    }
    return b;
  }

  private static void upload(ServerClient client, String path, byte[] body) throws Exception {
    client.upload(path, Map.of("x-artifact-duration", "7"), () -> new ByteArrayInputStream(body), body.length);
  }

  @Test
  void anUploadWhoseReusedConnectionClosedUnansweredIsSentAgainOnANewOne() throws Exception {
    try (DroppedAnswerServer server = new DroppedAnswerServer(2, "{}")) {
      ServerClient client = new ServerClient(server.baseUrl(), "t");
      byte[] first = bytes(1000, 1);
      byte[] second = bytes(ServerClient.RESENDABLE_BYTES, 2);
      upload(client, "/admin/artifacts/a/01", first);
      upload(client, "/admin/artifacts/a/02", second);

      List<Request> seen = server.requests();
      assertThat(seen).extracting(Request::connection, Request::path).containsExactly(
          tuple(1, "/admin/artifacts/a/01"),
          tuple(1, "/admin/artifacts/a/02"),
          tuple(2, "/admin/artifacts/a/02"));
      assertThat(seen.get(0).body()).isEqualTo(first);
      assertThat(seen.get(1).body()).isEqualTo(second);
      assertThat(seen.get(2).body()).as("the same bytes, sent again").isEqualTo(second);
    }
  }

  @Test
  void aStreamedUploadIsNotSentAgainAndTheFailureSaysWhy() throws Exception {
    try (DroppedAnswerServer server = new DroppedAnswerServer(2, "{}")) {
      ServerClient client = new ServerClient(server.baseUrl(), "t");
      upload(client, "/admin/artifacts/a/01", bytes(10, 1));
      byte[] large = bytes(ServerClient.RESENDABLE_BYTES + 1, 2);

      assertThatThrownBy(() -> upload(client, "/admin/artifacts/a/02", large))
          .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.FAILED))
          .hasMessageContaining("PUT /admin/artifacts/a/02 failed")
          .hasMessageContaining("cannot be sent a second time");
      List<Request> seen = server.requests();
      assertThat(seen).hasSize(2);
      assertThat(Arrays.equals(seen.get(1).body(), large)).as("the one whole copy the server read").isTrue();
    }
  }

  @Test
  void aBodyShorterThanItsLengthFailsBeforeAnythingIsSent() throws Exception {
    try (DroppedAnswerServer server = new DroppedAnswerServer(0, "{}")) {
      ServerClient client = new ServerClient(server.baseUrl(), "t");
      assertThatThrownBy(() -> client.upload("/admin/artifacts/a/01", Map.of(),
          () -> new ByteArrayInputStream(bytes(10, 1)), 11))
          .hasMessage("the body ended after 10 of 11 bytes");
      assertThat(server.requests()).isEmpty();
    }
  }
}
