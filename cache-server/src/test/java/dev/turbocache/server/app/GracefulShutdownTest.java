package dev.turbocache.server.app;

import static dev.turbocache.server.testing.TestServer.READER;
import static dev.turbocache.server.testing.TestServer.WRITER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.turbocache.server.testing.RawHttp;
import dev.turbocache.server.testing.TestServer;
import io.micrometer.core.instrument.Gauge;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GracefulShutdownTest {
  @TempDir Path dir;

  @Test
  void inFlightUploadCompletesDuringShutdownWhileNewConnectionsAreRefused() throws Exception {
    byte[] body = new byte[64 * 1024];
    Arrays.fill(body, (byte) 7);
    int half = body.length / 2;
    // A long grace: the test, not the clock, decides when the upload ends.
    TestServer server = TestServer.start(dir, Map.of("TURBOCACHE_SERVER_SHUTDOWN_GRACE", "2m"));
    int port = server.port();
    Gauge active = server.server().meterRegistry().get("turbocache.http.requests.active").gauge();
    CompletableFuture<Void> closing;
    try (Socket upload = new Socket("127.0.0.1", port)) {
      upload.setSoTimeout(60_000);
      OutputStream out = upload.getOutputStream();
      out.write(("PUT /v8/artifacts/5107?slug=acme HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
          + WRITER + "\r\nContent-Type: application/octet-stream\r\nContent-Length: " + body.length
          + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(body, 0, half);
      out.flush();
      await().atMost(Duration.ofSeconds(30)).until(() -> active.value() == 1.0);

      closing = CompletableFuture.runAsync(server::close);
      await().atMost(Duration.ofSeconds(30)).until(() -> refused(port));
      assertThat(closing).as("shutdown waits for the upload").isNotDone();

      out.write(body, half, body.length - half);
      out.flush();
      String response = readResponse(upload.getInputStream());
      assertThat(RawHttp.status(response)).as(response).isEqualTo(202);
    }
    closing.get(60, TimeUnit.SECONDS);

    try (TestServer again = TestServer.start(dir)) {
      HttpResponse<byte[]> get = again.get("/v8/artifacts/5107?slug=acme", READER);
      assertThat(get.statusCode()).isEqualTo(200);
      assertThat(get.body()).isEqualTo(body);
    }
  }

  private static boolean refused(int port) {
    try (Socket s = new Socket("127.0.0.1", port)) {
      return false;
    } catch (ConnectException e) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Reads one response with a JSON body (status line, headers, Content-Length bytes). */
  private static String readResponse(InputStream in) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0) {
      buf.write(b);
      String s = buf.toString(StandardCharsets.ISO_8859_1);
      int end = s.indexOf("\r\n\r\n");
      if (end >= 0) {
        int cl = s.toLowerCase().indexOf("content-length:");
        int length = cl < 0 ? 0 : Integer.parseInt(s.substring(cl + 15, s.indexOf("\r\n", cl)).trim());
        byte[] rest = in.readNBytes(length);
        return s + new String(rest, StandardCharsets.ISO_8859_1);
      }
    }
    return buf.toString(StandardCharsets.ISO_8859_1);
  }

  @Test
  void closeWithNothingInFlightIsPromptAndIdempotent() throws Exception {
    TestServer server = TestServer.start(dir);
    int port = server.port();
    assertThat(server.get("/healthz/live", null).statusCode()).isEqualTo(200);
    server.close();
    server.close();
    assertThat(refused(port)).isTrue();
    assertThat(Files.exists(dir.resolve("data"))).isTrue();
  }
}
