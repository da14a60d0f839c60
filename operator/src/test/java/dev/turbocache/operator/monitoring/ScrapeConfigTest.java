package dev.turbocache.operator.monitoring;

import static dev.turbocache.operator.monitoring.MonitoredCaches.monitored;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turbocache.operator.TestResources;
import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.server.ServerConfig;
import dev.turbocache.operator.server.ServerDeployment;
import dev.turbocache.operator.server.ServerMetricsService;
import dev.turbocache.operator.server.ServerService;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ServiceMonitor-to-scrape-config translation the real-Prometheus test relies on. */
class ScrapeConfigTest {

  static List<ContainerPort> ports(TurboCache cr) {
    return ServerDeployment.desired(cr, TestResources.tokens(cr, "tokens: []\n")).getSpec().getTemplate().getSpec()
        .getContainers().get(0).getPorts();
  }

  @Test
  void theRenderedServiceMonitorBecomesAStaticScrapeOfTheMetricsContainerPort() {
    TurboCache cr = monitored();
    cr.getSpec().monitoring.serviceMonitor.interval = "1s";
    cr.getSpec().monitoring.serviceMonitor.scrapeTimeout = "900ms";
    Service service = ServerMetricsService.desired(cr);
    List<Map<String, Object>> configs = ScrapeConfig.of(ServerServiceMonitor.desired(cr), service, ports(cr), port -> port + 30000);
    assertThat(configs).singleElement().satisfies(c -> {
      assertThat(c).containsEntry("job_name", "serviceMonitor/build-infra/monorepo").containsEntry("metrics_path", "/metrics")
          .containsEntry("scrape_interval", "1s").containsEntry("scrape_timeout", "900ms").containsEntry("honor_labels", false);
      @SuppressWarnings("unchecked")
      Map<String, Object> group = ((List<Map<String, Object>>) c.get("static_configs")).get(0);
      assertThat(group.get("targets")).isEqualTo(List.of("127.0.0.1:" + (ServerConfig.MANAGEMENT_PORT + 30000)));
      assertThat(group.get("labels")).as("the job stays the TurboCache's name, which the alerts select on")
          .isEqualTo(Map.of("namespace", "build-infra", "service", "monorepo-metrics", "job", "monorepo", "endpoint", "metrics"));
    });
  }

  @Test
  void aServiceMonitorThatSelectsAnotherServiceIsRejected() {
    TurboCache cr = monitored();
    ServiceMonitor monitor = ServerServiceMonitor.desired(cr);
    TurboCache other = monitored();
    other.getMetadata().setName("other");
    assertThatThrownBy(() -> ScrapeConfig.of(monitor, ServerMetricsService.desired(other), ports(other), port -> port))
        .hasMessageContaining("selects");
  }

  @Test
  void theClientsServiceIsNotScraped() {
    TurboCache cr = monitored();
    assertThatThrownBy(() -> ScrapeConfig.of(ServerServiceMonitor.desired(cr), ServerService.desired(cr), ports(cr), port -> port))
        .hasMessageContaining("selects");
  }
}
