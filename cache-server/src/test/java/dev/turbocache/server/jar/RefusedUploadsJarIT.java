package dev.turbocache.server.jar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turbocache.server.testing.RawHttp;
import dev.turbocache.server.testing.ServerJarProcess;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Uploads the packaged server refuses before it has read their bodies. Many HTTP/1.1 clients send
 * the whole body before they read anything; were the server to close the connection with the
 * body unread, the kernel would reset it, and such a client would get "broken pipe" or
 * "connection reset" instead of the answer. The bodies here are far larger than what the
 * loopback socket buffers hold, so the client is still writing when the answer is out.
 */
class RefusedUploadsJarIT {
  private static final Duration BODY_READ_TIMEOUT = Duration.ofSeconds(2);
  /** Several times bigger than the socket buffers of a loopback connection. */
  private static final int BODY = 48 << 20;

  @TempDir static Path dir;
  static ServerJarProcess server;

  @BeforeAll
  static void start() {
    server = ServerJarProcess.start(dir, Map.of(
        "TURBOCACHE_SERVER_MAX_ARTIFACT_SIZE", "1Mi",
        "TURBOCACHE_SERVER_BODY_READ_TIMEOUT", BODY_READ_TIMEOUT.toSeconds() + "s"));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aClientThatSendsItsWholeUploadBeforeReadingGetsTheRefusal() throws Exception {
    String wrongToken = RawHttp.putOnce(server.port(), artifact("0bad"), "not-a-token", new byte[BODY]);
    assertThat(wrongToken).as("%s", server).startsWith("HTTP/1.1 401 ");
    assertThat(RawHttp.body(wrongToken)).startsWith("{\"error\":{\"code\":\"unauthorized\"");

    String tooLarge = RawHttp.putOnce(server.port(), artifact("0b16"), server.token(), new byte[BODY]);
    assertThat(tooLarge).as("%s", server).startsWith("HTTP/1.1 413 ");
    assertThat(RawHttp.body(tooLarge)).startsWith("{\"error\":{\"code\":\"artifact_too_large\"");
    assertThat(server.send(server.request(artifact("0b16"))).statusCode()).as("nothing stored").isEqualTo(404);
  }

  /** The server reads a refused body for a bounded time only (server.bodyReadTimeout, at most 5 s). */
  @Test
  void aRefusedUploadWhoseClientStopsSendingIsClosedSoonAfterTheAnswer() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(Math.toIntExact(BODY_READ_TIMEOUT.plusSeconds(10).toMillis()));
      OutputStream out = socket.getOutputStream();
      out.write((RawHttp.uploadHead(artifact("0b1d"), "not-a-token", BODY) + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.write(new byte[4096]);
      out.flush();
      InputStream in = socket.getInputStream();
      String head = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
      assertThat(head).isEqualTo("HTTP/1.1 401");
      try {
        // Read to the end of the connection. A server that waited for the rest of the body would
        // keep it open past the socket timeout, and the SocketTimeoutException fails the test.
        in.readAllBytes();
      } catch (SocketException reset) {
        // a reset ends the connection too
      }
    }
    assertThat(server.send(server.request("/v8/artifacts/status")).statusCode()).isEqualTo(200);
  }

  /**
   * Over HTTP/2 a refusal ends the upload's stream, not the connection: the client gets the
   * answer, not a reset, and the connection serves the requests after it.
   */
  @Test
  void overHttp2ARefusedUploadGetsItsAnswerAndTheConnectionGoesOn() throws Exception {
    try (HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build()) {
      HttpResponse<String> upgraded = h2.send(server.request("/v8/artifacts/status").build(), BodyHandlers.ofString());
      assertThat(upgraded.version()).isEqualTo(HttpClient.Version.HTTP_2);
      HttpResponse<String> wrongToken = h2.send(server.request(artifact("0b2a"))
          .setHeader("Authorization", "Bearer not-a-token")
          .PUT(BodyPublishers.ofByteArray(new byte[BODY])).build(), BodyHandlers.ofString());
      assertThat(wrongToken.version()).isEqualTo(HttpClient.Version.HTTP_2);
      assertThat(wrongToken.statusCode()).as("%s", server).isEqualTo(401);
      assertThat(wrongToken.body()).startsWith("{\"error\":{\"code\":\"unauthorized\"");
      HttpResponse<String> tooLarge = h2.send(server.request(artifact("0b2b"))
          .PUT(BodyPublishers.ofByteArray(new byte[BODY])).build(), BodyHandlers.ofString());
      assertThat(tooLarge.statusCode()).as("%s", server).isEqualTo(413);
      HttpResponse<String> after = h2.send(server.request("/v8/artifacts/status").build(), BodyHandlers.ofString());
      assertThat(after.version()).isEqualTo(HttpClient.Version.HTTP_2);
      assertThat(after.statusCode()).isEqualTo(200);
    }
    assertThat(server.send(server.request(artifact("0b2b"))).statusCode()).as("nothing stored").isEqualTo(404);
  }

  private static String artifact(String hash) {
    return "/v8/artifacts/" + hash + "?slug=" + server.team();
  }
}
