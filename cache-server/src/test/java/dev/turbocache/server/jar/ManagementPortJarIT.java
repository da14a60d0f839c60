package dev.turbocache.server.jar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turbocache.server.testing.ServerJarProcess;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged server jar with {@code TURBOCACHE_SERVER_MANAGEMENT_PORT}, as the operator's pods
 * run it: {@code /metrics} and the probes on that port, {@code /metrics} nowhere else, and the
 * cache API not on it; a management port that is taken stops the start with a message naming it.
 */
class ManagementPortJarIT {
  @TempDir Path dir;

  @Test
  void metricsAndProbesAnswerOnTheManagementPortOnly() {
    try (ServerJarProcess server = ServerJarProcess.start(dir, Map.of("TURBOCACHE_SERVER_MANAGEMENT_PORT", "0"))) {
      String q = "?slug=" + server.team();
      assertThat(server.send(server.request("/v8/artifacts/ab01" + q)
          .header("Content-Type", "application/octet-stream").PUT(BodyPublishers.ofByteArray(new byte[5])))
          .statusCode()).as("%s", server).isEqualTo(202);

      HttpResponse<byte[]> metrics = server.send(server.managementRequest("/metrics"));
      assertThat(metrics.statusCode()).as("%s", server).isEqualTo(200);
      assertThat(text(metrics)).contains("turbocache_artifacts_uploaded_total{team=\"" + server.team() + "\"} 1")
          .contains("jvm_memory_used_bytes");
      for (String probe : List.of("/healthz/live", "/healthz/ready")) {
        assertThat(server.send(server.managementRequest(probe)).statusCode()).as("%s on the management port", probe)
            .isEqualTo(200);
      }

      HttpResponse<byte[]> clientsMetrics = server.send(server.request("/metrics"));
      assertThat(clientsMetrics.statusCode()).as("/metrics on the clients' port").isEqualTo(404);
      assertThat(text(clientsMetrics)).contains("\"code\":\"not_found\"").doesNotContain("turbocache_");

      for (String path : List.of("/v8/artifacts/ab01" + q, "/v8/artifacts/status" + q, "/admin/stats")) {
        HttpResponse<byte[]> r = server.send(server.managementRequest(path)
            .header("Authorization", "Bearer " + server.token()));
        assertThat(r.statusCode()).as("GET %s on the management port", path).isEqualTo(404);
        assertThat(text(r)).as("GET %s on the management port", path).contains("\"code\":\"not_found\"");
      }
      assertThat(server.send(server.request("/v8/artifacts/ab01" + q)).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void aTakenManagementPortStopsTheStartNamingIt() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      assertThatThrownBy(() -> ServerJarProcess.start(dir, Map.of("TURBOCACHE_SERVER_MANAGEMENT_PORT", Integer.toString(port))))
          .hasMessageContaining("the server exited with 1 before it was ready")
          .hasMessageContaining("turbocache: cannot listen on 127.0.0.1:" + port
              + " (server.managementPort): Address already in use");
    }
  }

  private static String text(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }
}
