package dev.turbocache.server.jar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.turbocache.server.testing.ServerJarProcess;
import dev.turbocache.server.testing.StalledClients;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The packaged server with no configuration but shorter timeouts, against 200 stalled
 * connections of each kind a hostile client can open, with or without a token, and 200 downloads
 * nobody reads: while they are all held, a normal client still gets a GET miss, a PUT, a HEAD
 * and {@code /healthz/live} answered, and every stalled connection is then closed by the server.
 */
class SlowClientsIT {
  private static final int STALLED = 200;
  /** Shorter than the defaults so the test waits seconds, not half a minute, per kind. */
  private static final Duration HEADER_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration BODY_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration SEND_TIMEOUT = Duration.ofSeconds(10);
  /** Larger than any socket buffer, and than the memory tier takes: a file sent from the disk tier. */
  private static final int BIG = 32 << 20;
  private static final String BIG_HASH = "b16d0a1";
  /** A refused request's connection closes right after the answer, at the latest after this. */
  private static final Duration LINGER = Duration.ofSeconds(5);
  private static final String ATTACKER = "127.0.0.2";

  @TempDir static Path dir;
  static ServerJarProcess server;

  @BeforeAll
  static void start() {
    server = ServerJarProcess.start(dir, Map.of(
        "TURBOCACHE_SERVER_REQUEST_HEADER_TIMEOUT", HEADER_TIMEOUT.toSeconds() + "s",
        "TURBOCACHE_SERVER_BODY_READ_TIMEOUT", BODY_TIMEOUT.toSeconds() + "s",
        "TURBOCACHE_SERVER_SEND_TIMEOUT", SEND_TIMEOUT.toSeconds() + "s",
        "TURBOCACHE_LOGGING_ACCESS_LOG", "false"));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  /** What a stalled connection sends, and what the server answers before closing it. */
  enum Stall {
    /** Headers one byte every half second, never finished. */
    HEADER_DRIP(null, 500) {
      @Override
      String prefix(String token, String team) {
        return "GET /healthz/live HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";
      }
    },
    /** An upload without a token that announces 100000 bytes and sends 10. */
    BODY_WITHOUT_TOKEN(401, 0) {
      @Override
      String prefix(String token, String team) {
        return stalledBody("PUT /v8/artifacts/abcd01?slug=" + team, null);
      }
    },
    /** The same with a valid token: admitted, then the body stops. */
    BODY_WITH_TOKEN(408, 0) {
      @Override
      String prefix(String token, String team) {
        return stalledBody("PUT /v8/artifacts/abcd02?slug=" + team, token);
      }
    },
    /** A body to a route that does not exist. */
    BODY_TO_UNKNOWN_ROUTE(404, 0) {
      @Override
      String prefix(String token, String team) {
        return stalledBody("POST /nonexistent", null);
      }
    },
    /** A body to the liveness probe, which takes none. */
    BODY_TO_HEALTH(408, 0) {
      @Override
      String prefix(String token, String team) {
        return stalledBody("GET /healthz/live", null);
      }
    };

    /** Status the server answers with before it closes (null: it just closes). */
    final Integer status;
    final long dripMillis;

    Stall(Integer status, long dripMillis) {
      this.status = status;
      this.dripMillis = dripMillis;
    }

    abstract String prefix(String token, String team);

    /** Whether the server answers only when a timeout fires (not at once). */
    boolean heldUntilTimeout() {
      return status == null || status == 408;
    }

    static String stalledBody(String requestLine, String token) {
      return requestLine + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")
          + "Content-Type: application/octet-stream\r\nContent-Length: 100000\r\n\r\n0123456789";
    }
  }

  @ParameterizedTest
  @EnumSource(Stall.class)
  void twoHundredStalledConnectionsDoNotStopTheServerAndAreAllClosed(Stall stall) throws Exception {
    try (StalledClients stalled = StalledClients.open(ATTACKER, server.port(), STALLED,
        stall.prefix(server.token(), server.team()), stall.dripMillis)) {
      normalClientIsServed(stall.name());
      if (stall.heldUntilTimeout()) {
        assertThat(stalled.closedByServer())
            .as("the stalled connections were all still held while the normal client was served")
            .isZero();
      }

      Duration timeout = stall == Stall.HEADER_DRIP ? HEADER_TIMEOUT : BODY_TIMEOUT;
      await("every stalled connection closed by the server")
          .atMost(timeout.plus(LINGER).plusSeconds(30))
          .until(() -> stalled.closedByServer() == STALLED);
      List<String> answers = stalled.answers().stream().map(StalledClients.Answer::head).toList();
      for (String answer : answers) {
        if (stall.status == null) {
          assertThat(answer).as("a connection dripping its headers gets no answer").isEmpty();
        } else {
          // The body never came, so any answer was sent without waiting for it.
          assertThat(answer).startsWith("HTTP/1.1 " + stall.status + " ");
          assertThat(answer).containsIgnoringCase("connection: close")
              .contains("{\"error\":{\"code\":");
        }
      }
    }
    if (stall == Stall.BODY_WITH_TOKEN) {
      assertThat(metric("turbocache_http_client_aborts_total{phase=\"receive\",reason=\"timeout\"}"))
          .isGreaterThanOrEqualTo(STALLED);
      assertThat(metric("turbocache_uploads_in_progress")).as("every upload slot released").isZero();
    }
    normalClientIsServed(stall.name());
  }

  /**
   * 200 downloads of a large artifact whose clients read nothing: no worker waits for them, so a
   * normal client is served meanwhile, and each is closed after the send timeout, cut short.
   */
  @Test
  void twoHundredDownloadsNobodyReadsDoNotStopTheServerAndAreClosed() throws Exception {
    byte[] big = new byte[BIG];
    new java.util.Random(5).nextBytes(big);
    assertThat(send(server.request(artifact(BIG_HASH)).header("Content-Type", "application/octet-stream")
        .PUT(BodyPublishers.ofByteArray(big))).statusCode()).isEqualTo(202);
    double abortsBefore = metric(SEND_ABORTS);
    try (StalledClients downloads = StalledClients.openNotReading(ATTACKER, server.port(), STALLED,
        "GET " + artifact(BIG_HASH) + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
            + server.token() + "\r\n\r\n")) {
      normalClientIsServed("downloads");
      await("every unread download closed by the server").atMost(SEND_TIMEOUT.plusSeconds(30))
          .until(() -> metric(SEND_ABORTS) >= abortsBefore + STALLED);
      downloads.startReading();
      await().atMost(Duration.ofSeconds(60)).until(() -> downloads.closedByServer() == STALLED);
      for (StalledClients.Answer answer : downloads.answers()) {
        assertThat(answer.head()).startsWith("HTTP/1.1 200 ");
        assertThat(answer.bytes()).as("the download was cut short").isLessThan(BIG);
      }
    }
    normalClientIsServed("downloads");
  }

  /**
   * Clients that reset their connection part way through a download are the clients' business:
   * counted, and no error (nor a stack trace) in the server's log.
   */
  @Test
  void downloadsResetByTheClientAreCountedNotLoggedAsErrors() throws Exception {
    byte[] big = new byte[BIG];
    new java.util.Random(6).nextBytes(big);
    String hash = "b16d0a2";
    assertThat(send(server.request(artifact(hash)).header("Content-Type", "application/octet-stream")
        .PUT(BodyPublishers.ofByteArray(big))).statusCode()).isEqualTo(202);
    double before = metric(SEND_ABORTS);
    for (int i = 0; i < 20; i++) {
      try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
        socket.getOutputStream().write(("GET " + artifact(hash) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + "Authorization: Bearer " + server.token() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        assertThat(socket.getInputStream().readNBytes(64 * 1024)).hasSize(64 * 1024);
        // Closing with unread data and a zero linger sends a reset instead of a FIN.
        socket.setSoLinger(true, 0);
      }
    }
    await("every reset counted").atMost(Duration.ofSeconds(30))
        .until(() -> metric(SEND_ABORTS) >= before + 20);
    assertThat(server.jsonLogLines()).as("%s", server)
        .noneMatch(line -> line.path("level").asText().equals("ERROR"))
        .noneMatch(line -> line.toString().contains("Connection reset"));
    normalClientIsServed("resets");
  }

  private static final String SEND_ABORTS =
      "turbocache_http_client_aborts_total{phase=\"send\",reason=\"closed\"}";

  private static String artifact(String hash) {
    return "/v8/artifacts/" + hash + "?slug=" + server.team();
  }

  /** GET miss, PUT, HEAD and the liveness probe from the normal client's own address. */
  private static void normalClientIsServed(String during) {
    String hash = "feed" + Long.toHexString(System.nanoTime());
    String artifact = artifact(hash);
    assertThat(send(server.request(artifact)).statusCode()).as("GET miss, %s", during).isEqualTo(404);
    assertThat(send(server.request(artifact).header("Content-Type", "application/octet-stream")
        .PUT(BodyPublishers.ofByteArray(new byte[300_000]))).statusCode()).as("PUT, %s", during)
        .isEqualTo(202);
    assertThat(send(server.request(artifact).method("HEAD", BodyPublishers.noBody())).statusCode())
        .as("HEAD, %s", during).isEqualTo(200);
    assertThat(send(server.request("/healthz/live")).statusCode()).as("liveness, %s", during)
        .isEqualTo(200);
  }

  /** A normal request with a short timeout: a server that stopped answering fails it. */
  private static HttpResponse<byte[]> send(HttpRequest.Builder request) {
    return server.send(request.timeout(Duration.ofSeconds(10)));
  }

  private static double metric(String series) {
    String text = new String(send(server.request("/metrics")).body());
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
    return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
  }
}
