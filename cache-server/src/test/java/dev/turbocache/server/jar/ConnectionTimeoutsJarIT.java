package dev.turbocache.server.jar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.turbocache.server.testing.KeepAliveConnection;
import dev.turbocache.server.testing.ServerJarProcess;
import dev.turbocache.server.testing.StalledClients;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged server's two waits for a request: a new connection gets {@code
 * server.firstRequestTimeout} to start its first one, a keep-alive connection gets {@code
 * server.idleTimeout} between requests. Both are shortened here, the second still several times
 * the first, so that a server applying the idle timeout to new connections (as Undertow alone
 * does) keeps the silent ones past the bound these tests wait.
 */
class ConnectionTimeoutsJarIT {
  private static final Duration FIRST_REQUEST_TIMEOUT = Duration.ofSeconds(1);
  private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(12);
  /** Long after the first-request timeout, before the idle timeout. */
  private static final Duration SILENT_CLOSED_WITHIN = Duration.ofSeconds(8);
  private static final int SILENT = 20;

  @TempDir static Path dir;
  static ServerJarProcess server;

  @BeforeAll
  static void start() {
    server = ServerJarProcess.start(dir, Map.of(
        "TURBOCACHE_SERVER_FIRST_REQUEST_TIMEOUT", FIRST_REQUEST_TIMEOUT.toSeconds() + "s",
        "TURBOCACHE_SERVER_IDLE_TIMEOUT", IDLE_TIMEOUT.toSeconds() + "s",
        "TURBOCACHE_SERVER_MANAGEMENT_PORT", "0"));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void connectionsThatSendNothingAreClosedAfterTheFirstRequestTimeoutWhileKeepAliveOnesAreKept()
      throws Exception {
    try (KeepAliveConnection kept = KeepAliveConnection.open(server.port());
        KeepAliveConnection keptManagement = KeepAliveConnection.open(server.managementPort())) {
      assertThat(kept.get("/v8/artifacts/status", server.token()).status()).isEqualTo(200);
      assertThat(keptManagement.get("/healthz/ready", null).status()).isEqualTo(200);
      try (StalledClients silent = StalledClients.open("127.0.0.1", server.port(), SILENT, "", 0);
          StalledClients silentManagement =
              StalledClients.open("127.0.0.1", server.managementPort(), SILENT, "", 0)) {
        await("every connection that sent nothing closed by the server")
            .atMost(SILENT_CLOSED_WITHIN)
            .until(() -> silent.closedByServer() == SILENT
                && silentManagement.closedByServer() == SILENT);
        assertThat(silent.answers()).allMatch(answer -> answer.bytes() == 0);
        assertThat(silentManagement.answers()).allMatch(answer -> answer.bytes() == 0);
      }
      // Opened before the silent ones and idle since, longer than the first-request timeout.
      assertThat(kept.get("/v8/artifacts/status", server.token()).status()).isEqualTo(200);
      assertThat(keptManagement.get("/healthz/ready", null).status()).isEqualTo(200);
    }
    assertThat(server.send(server.request("/v8/artifacts/status")).statusCode()).isEqualTo(200);
  }

  @Test
  void aKeepAliveConnectionIsClosedAfterTheIdleTimeout() throws Exception {
    try (KeepAliveConnection connection = KeepAliveConnection.open(server.port())) {
      assertThat(connection.get("/v8/artifacts/status", server.token()).status()).isEqualTo(200);
      int bound = Math.toIntExact(IDLE_TIMEOUT.plusSeconds(30).toMillis());
      assertThat(connection.closedByServer(bound))
          .as("closed by the server within %s of its last request", IDLE_TIMEOUT.plusSeconds(30))
          .isTrue();
    }
  }
}
