package dev.turbocache.operator.monitoring;

import static dev.turbocache.operator.monitoring.MonitoredCaches.monitored;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turbocache.operator.TestResources;
import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.api.v1alpha1.TurboCacheStatus;
import dev.turbocache.operator.model.ResolvedSpec;
import dev.turbocache.operator.model.SettableClock;
import dev.turbocache.operator.status.ComponentCondition;
import dev.turbocache.operator.status.Warning;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** MonitoringReady, the missing-CRD warning, status.monitoring, and how long a CRD answer is reused. */
class MonitoringObservationTest {

  static MonitoringObservation observe(TurboCache cr, List<String> missing) {
    return new MonitoringObservation(cr, ResolvedSpec.of(cr).monitoring(), missing);
  }

  @Test
  void withoutMonitoringThereIsNoConditionNoWarningAndNoStatus() {
    MonitoringObservation o = observe(TestResources.minimal(), List.of());
    assertThat(o.condition()).isEmpty();
    assertThat(o.warnings()).isEmpty();
    assertThat(o.recheckAfter()).isEmpty();
    TurboCacheStatus status = new TurboCacheStatus();
    o.describe(status);
    assertThat(status.monitoring).isNull();
    assertThat(MonitoringObservation.wantedCrds(ResolvedSpec.of(TestResources.minimal()).monitoring())).isEmpty();
  }

  @Test
  void withTheCrdsInstalledMonitoringIsReadyAndNamesItsChildren() {
    MonitoringObservation o = observe(monitored(), List.of());
    ComponentCondition c = o.condition().orElseThrow();
    assertThat(c.type()).isEqualTo("MonitoringReady");
    assertThat(c.ready()).isTrue();
    assertThat(c.required()).as("monitoring never blocks Ready").isFalse();
    assertThat(c.message()).contains("ServiceMonitor monorepo", "PrometheusRule monorepo", "dashboard ConfigMap monorepo-dashboard");
    assertThat(o.warnings()).isEmpty();
    assertThat(o.recheckAfter()).isEmpty();
    TurboCacheStatus status = new TurboCacheStatus();
    o.describe(status);
    assertThat(status.monitoring.serviceMonitor).isEqualTo("monorepo");
    assertThat(status.monitoring.prometheusRule).isEqualTo("monorepo");
    assertThat(status.monitoring.dashboard).isEqualTo("monorepo-dashboard");
    assertThat(status.monitoring.missingCrds).isNull();
  }

  @Test
  void aMissingCrdIsAWarningNamingItAndTheCacheLooksAgain() {
    MonitoringObservation o = observe(monitored(), List.of(MonitoringCrds.PROMETHEUS_RULE));
    ComponentCondition c = o.condition().orElseThrow();
    assertThat(c.ready()).isFalse();
    assertThat(c.reason()).isEqualTo("CrdMissing");
    assertThat(c.message()).contains("prometheusrules.monitoring.coreos.com").contains("creates the PrometheusRule")
        .doesNotContain("servicemonitors");
    assertThat(o.warnings()).extracting(Warning::reason).containsExactly("MonitoringCrdMissing");
    assertThat(o.recheckAfter()).contains(MonitoringObservation.RECHECK);
    TurboCacheStatus status = new TurboCacheStatus();
    o.describe(status);
    assertThat(status.monitoring.serviceMonitor).isEqualTo("monorepo");
    assertThat(status.monitoring.prometheusRule).isNull();
    assertThat(status.monitoring.missingCrds).containsExactly("prometheusrules.monitoring.coreos.com");
  }

  @Test
  void aScrapeTimeoutLongerThanTheIntervalIsAWarning() {
    TurboCache cr = monitored();
    cr.getSpec().monitoring.serviceMonitor.interval = "5s";
    cr.getSpec().monitoring.serviceMonitor.scrapeTimeout = "10s";
    assertThat(observe(cr, List.of()).warnings()).extracting(Warning::reason).containsExactly("ScrapeTimeoutAboveInterval");
    cr.getSpec().monitoring.serviceMonitor.scrapeTimeout = "5s";
    assertThat(observe(cr, List.of()).warnings()).isEmpty();
  }

  @Test
  void crdAnswersAreReusedForTheTtlThenAskedAgainPerCluster() {
    SettableClock clock = new SettableClock(Instant.parse("2026-01-01T00:00:00Z"));
    Set<String> installed = new java.util.HashSet<>();
    List<String> asked = new ArrayList<>();
    MonitoringCrds crds = new MonitoringCrds(clock, Duration.ofSeconds(10), (client, crd) -> {
      asked.add(client.getMasterUrl().getPort() + " " + crd);
      return installed.contains(crd);
    });
    try (KubernetesClient a = client(6443); KubernetesClient b = client(7443)) {
      assertThat(crds.present(a, MonitoringCrds.SERVICE_MONITOR)).isFalse();
      installed.add(MonitoringCrds.SERVICE_MONITOR);
      assertThat(crds.present(a, MonitoringCrds.SERVICE_MONITOR)).as("within the TTL the old answer").isFalse();
      assertThat(crds.present(b, MonitoringCrds.SERVICE_MONITOR)).as("another cluster is asked").isTrue();
      clock.set(clock.instant().plusSeconds(10));
      assertThat(crds.present(a, MonitoringCrds.SERVICE_MONITOR)).as("after the TTL, asked again").isTrue();
      assertThat(crds.missing(a, List.of(MonitoringCrds.SERVICE_MONITOR, MonitoringCrds.PROMETHEUS_RULE)))
          .containsExactly(MonitoringCrds.PROMETHEUS_RULE);
      installed.clear();
      clock.set(clock.instant().plusSeconds(11));
      assertThat(crds.present(a, MonitoringCrds.SERVICE_MONITOR)).as("an uninstalled CRD is noticed too").isFalse();
    }
    assertThat(asked).containsExactly("6443 " + MonitoringCrds.SERVICE_MONITOR, "7443 " + MonitoringCrds.SERVICE_MONITOR,
        "6443 " + MonitoringCrds.SERVICE_MONITOR, "6443 " + MonitoringCrds.PROMETHEUS_RULE, "6443 " + MonitoringCrds.SERVICE_MONITOR);
  }

  /** A client that is never used to connect: only its master URL keys the answers. */
  private static KubernetesClient client(int port) {
    return new KubernetesClientBuilder()
        .withConfig(new ConfigBuilder(Config.empty()).withMasterUrl("https://127.0.0.1:" + port).build()).build();
  }
}
