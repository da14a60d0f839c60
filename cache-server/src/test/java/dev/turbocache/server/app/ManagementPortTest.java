package dev.turbocache.server.app;

import static dev.turbocache.server.testing.TestServer.ADMIN;
import static dev.turbocache.server.testing.TestServer.READER;
import static dev.turbocache.server.testing.TestServer.WRITER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turbocache.server.http.RouteTable;
import dev.turbocache.server.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With {@code server.managementPort} set, {@code /metrics} (it names teams) is served there with
 * the probes and nowhere else, and that port serves nothing else; without it, {@code /metrics}
 * stays on the clients' port.
 */
class ManagementPortTest {
  private static final Map<String, String> MANAGEMENT_PORT = Map.of("TURBOCACHE_SERVER_MANAGEMENT_PORT", "0");
  private static final String ARTIFACT = "/v8/artifacts/ab01?slug=" + TestServer.TEAM;

  @TempDir Path dir;

  @Test
  void theManagementPortServesMetricsAndTheProbes() {
    try (TestServer server = TestServer.start(dir, MANAGEMENT_PORT)) {
      assertThat(server.server().managementPort()).isPositive().isNotEqualTo(server.port());
      assertThat(server.put(ARTIFACT, WRITER, new byte[3]).statusCode()).isEqualTo(202);

      HttpResponse<byte[]> metrics = send(server, server.managementRequest("/metrics"));
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
      assertThat(text(metrics)).contains("turbocache_artifacts_uploaded_total{team=\"acme\"} 1");

      for (String probe : List.of("/healthz/live", "/healthz/ready")) {
        assertThat(send(server, server.managementRequest(probe)).statusCode()).as("%s on the management port", probe)
            .isEqualTo(200);
        assertThat(server.get(probe, null).statusCode()).as("%s on the clients' port", probe).isEqualTo(200);
      }
      assertThat(text(send(server, server.managementRequest("/metrics"))))
          .as("scrapes and the management port's probes are not counted as requests")
          .doesNotContain("route=\"/metrics\"")
          .contains("turbocache_http_requests_seconds_count{method=\"GET\",route=\"/healthz/ready\",status=\"200\"} 1")
          .contains("route=\"/v8/artifacts/{hash}\"");
    }
  }

  @Test
  void theClientsPortNoLongerServesMetrics() {
    try (TestServer server = TestServer.start(dir, MANAGEMENT_PORT)) {
      HttpResponse<byte[]> metrics = server.get("/metrics", ADMIN);
      assertThat(metrics.statusCode()).as("even with an admin token").isEqualTo(404);
      assertThat(text(metrics)).contains("\"code\":\"not_found\"").doesNotContain("turbocache_");
      assertThat(server.server().routes()).extracting(RouteTable.Route::template).doesNotContain("/metrics")
          .contains("/healthz/live", "/healthz/ready");
    }
  }

  @Test
  void theManagementPortRefusesTheCacheAndAdminApis() {
    try (TestServer server = TestServer.start(dir, MANAGEMENT_PORT)) {
      assertThat(server.put(ARTIFACT, WRITER, new byte[3]).statusCode()).isEqualTo(202);
      for (String path : List.of(ARTIFACT, "/v8/artifacts/status", "/v2/user", "/admin/stats", "/openapi.json")) {
        HttpResponse<byte[]> r = send(server, server.managementRequest(path).header("Authorization", "Bearer " + ADMIN));
        assertThat(r.statusCode()).as("GET %s on the management port", path).isEqualTo(404);
        assertThat(text(r)).as("GET %s", path).contains("\"code\":\"not_found\"");
      }
      HttpResponse<byte[]> put = send(server, server.managementRequest(ARTIFACT)
          .header("Authorization", "Bearer " + WRITER).PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[3])));
      assertThat(put.statusCode()).isEqualTo(404);
      HttpResponse<byte[]> postMetrics = send(server, server.managementRequest("/metrics")
          .POST(HttpRequest.BodyPublishers.noBody()));
      assertThat(postMetrics.statusCode()).isEqualTo(405);
      assertThat(text(postMetrics)).contains("\"code\":\"method_not_allowed\"");
      assertThat(server.get(ARTIFACT, READER).statusCode()).as("the artifact is there, on the clients' port").isEqualTo(200);
    }
  }

  @Test
  void withoutAManagementPortMetricsStayOnTheClientsPort() {
    try (TestServer server = TestServer.start(dir)) {
      assertThat(server.server().managementPort()).isEqualTo(server.port());
      HttpResponse<byte[]> metrics = server.get("/metrics", null);
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(text(metrics)).contains("turbocache_tier_lookups_total");
    }
  }

  private static HttpResponse<byte[]> send(TestServer server, HttpRequest.Builder request) {
    return server.send(request.build());
  }

  private static String text(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }
}
