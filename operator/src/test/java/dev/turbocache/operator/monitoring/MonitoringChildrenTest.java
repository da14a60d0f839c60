package dev.turbocache.operator.monitoring;

import static dev.turbocache.operator.monitoring.MonitoredCaches.RELEASE;
import static dev.turbocache.operator.monitoring.MonitoredCaches.everything;
import static dev.turbocache.operator.monitoring.MonitoredCaches.monitored;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turbocache.operator.TestResources;
import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.model.Labels;
import dev.turbocache.operator.server.ServerMetricsService;
import dev.turbocache.operator.server.ServerService;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.openshift.api.model.monitoring.v1.Endpoint;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.Rule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The pure desired() of the ServiceMonitor, PrometheusRule and dashboard ConfigMap. */
class MonitoringChildrenTest {
  static final ObjectMapper JSON = new ObjectMapper();

  static Map<String, Rule> rules(PrometheusRule pr) {
    assertThat(pr.getSpec().getGroups()).hasSize(1);
    return pr.getSpec().getGroups().get(0).getRules().stream().collect(Collectors.toMap(Rule::getAlert, Function.identity()));
  }

  static String expr(Rule r) {
    return r.getExpr().getStrVal();
  }

  @Test
  void serviceMonitorScrapesTheMetricsServiceOnlyWithTheUsersLabels() {
    TurboCache cr = monitored();
    cr.getSpec().monitoring.serviceMonitor.interval = "15s";
    cr.getSpec().monitoring.serviceMonitor.scrapeTimeout = "5s";
    ServiceMonitor sm = ServerServiceMonitor.desired(cr);
    assertThat(sm.getMetadata().getName()).isEqualTo("monorepo");
    assertThat(sm.getMetadata().getNamespace()).isEqualTo(TestResources.NAMESPACE);
    assertThat(sm.getMetadata().getLabels()).containsAllEntriesOf(RELEASE)
        .containsEntry(Labels.MANAGED_BY, Labels.OPERATOR).containsEntry(Labels.COMPONENT, "monitoring")
        .as("never the TurboCache's own labels").doesNotContainKeys("team", "argocd.argoproj.io/instance");
    Map<String, String> selected = sm.getSpec().getSelector().getMatchLabels();
    assertThat(selected).isEqualTo(ServerMetricsService.desired(cr).getMetadata().getLabels().entrySet().stream()
        .filter(e -> !e.getKey().equals(Labels.MANAGED_BY))
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    assertThat(ServerService.desired(cr).getMetadata().getLabels().entrySet().containsAll(selected.entrySet()))
        .as("the clients' Service is selected").isFalse();
    assertThat(sm.getSpec().getNamespaceSelector().getMatchNames()).containsExactly(TestResources.NAMESPACE);
    Endpoint e = sm.getSpec().getEndpoints().get(0);
    assertThat(sm.getSpec().getEndpoints()).hasSize(1);
    assertThat(e.getPort()).isEqualTo(ServerMetricsService.METRICS_PORT_NAME);
    assertThat(ServerMetricsService.desired(cr).getSpec().getPorts()).extracting(ServicePort::getName).contains(e.getPort());
    assertThat(ServerMetricsService.desired(cr).getMetadata().getLabels().get(sm.getSpec().getJobLabel()))
        .as("the job, which the alerts and the dashboard select on, is the TurboCache's name").isEqualTo("monorepo");
    assertThat(e.getPath()).isEqualTo("/metrics");
    assertThat(e.getInterval()).isEqualTo("15s");
    assertThat(e.getScrapeTimeout()).isEqualTo("5s");
  }

  @Test
  void serviceMonitorDefaultsAndOperatorLabelsWinOverTheUsers() {
    TurboCache cr = monitored();
    cr.getSpec().monitoring.serviceMonitor.labels = Map.of("release", "prom", Labels.INSTANCE, "spoofed");
    ServiceMonitor sm = ServerServiceMonitor.desired(cr);
    assertThat(sm.getMetadata().getLabels()).containsEntry("release", "prom").containsEntry(Labels.INSTANCE, "monorepo");
    assertThat(sm.getSpec().getEndpoints().get(0).getInterval()).isEqualTo("30s");
    assertThat(sm.getSpec().getEndpoints().get(0).getScrapeTimeout()).isEqualTo("10s");
  }

  @Test
  void disabledChildrenCannotBeRendered() {
    TurboCache cr = TestResources.minimal();
    assertThatThrownBy(() -> ServerServiceMonitor.desired(cr)).hasMessageContaining("monitoring.serviceMonitor");
    assertThatThrownBy(() -> ServerPrometheusRule.desired(cr)).hasMessageContaining("monitoring.prometheusRule");
    assertThatThrownBy(() -> DashboardConfigMap.desired(cr)).hasMessageContaining("monitoring.grafanaDashboard");
    assertThat(new ServerServiceMonitor.Enabled().isMet(null, cr, null)).isFalse();
    assertThat(new ServerPrometheusRule.Enabled().isMet(null, cr, null)).isFalse();
    assertThat(new DashboardConfigMap.Enabled().isMet(null, cr, null)).isFalse();
    assertThat(new ServerServiceMonitor.Enabled().isMet(null, monitored(), null)).isTrue();
    assertThat(new ServerPrometheusRule.Enabled().isMet(null, monitored(), null)).isTrue();
    assertThat(new DashboardConfigMap.Enabled().isMet(null, monitored(), null)).isTrue();
  }

  @Test
  void ruleThresholdsComeFromTheSpec() {
    TurboCache cr = monitored();
    cr.getSpec().monitoring.prometheusRule.hitRatioBelow = 0.55;
    cr.getSpec().monitoring.prometheusRule.p95LatencyAboveSeconds = 2.5;
    cr.getSpec().monitoring.prometheusRule.errorRatioAbove = 0.02;
    Map<String, Rule> rules = rules(ServerPrometheusRule.desired(cr));
    assertThat(expr(rules.get("TurboCacheHitRatioLow"))).contains(") < 0.55 and").contains(">= " + AlertRules.MIN_REQUESTS);
    assertThat(expr(rules.get("TurboCacheLatencyHigh"))).startsWith("histogram_quantile(0.95,").endsWith("> 2.5");
    assertThat(expr(rules.get("TurboCacheErrorRatioHigh"))).contains("status=~\"5..\"").contains("> 0.02 and");
    assertThat(expr(rules.get("TurboCacheTierErrors"))).endsWith("> 0.02");
  }

  @Test
  void defaultThresholdsAreTheSchemaDefaults() {
    Map<String, Rule> rules = rules(ServerPrometheusRule.desired(everything()));
    assertThat(expr(rules.get("TurboCacheHitRatioLow"))).contains(") < 0.7 and");
    assertThat(expr(rules.get("TurboCacheLatencyHigh"))).endsWith("> 1");
    assertThat(expr(rules.get("TurboCacheErrorRatioHigh"))).contains("> 0.05 and");
    assertThat(expr(rules.get("TurboCacheWriteBackQueueNearFull"))).endsWith("> 0.8");
    assertThat(expr(rules.get("TurboCacheWriteBackLagging"))).endsWith("> 600");
    assertThat(expr(rules.get("TurboCacheRedisSentinelsBelowQuorum"))).endsWith("< 2");
  }

  @Test
  void everyRuleSelectsThisTurboCachesSeriesAndCarriesSeverityAndAnnotations() {
    PrometheusRule pr = ServerPrometheusRule.desired(everything());
    assertThat(pr.getMetadata().getLabels()).containsAllEntriesOf(RELEASE).containsEntry(Labels.COMPONENT, "monitoring");
    assertThat(pr.getSpec().getGroups().get(0).getName()).isEqualTo("turbocache.build-infra.monorepo.rules");
    for (Rule r : pr.getSpec().getGroups().get(0).getRules()) {
      assertThat(r.getAlert()).startsWith("TurboCache");
      assertThat(r.getFor()).as(r.getAlert()).matches("[0-9]+[mh]");
      assertThat(r.getLabels()).as(r.getAlert()).containsEntry("namespace", "build-infra").containsEntry("turbocache", "monorepo")
          .containsKey("severity");
      assertThat(r.getLabels().get("severity")).isIn("warning", "critical");
      assertThat(r.getAnnotations()).as(r.getAlert()).containsKeys("summary", "description", "runbook");
      assertThat(r.getAnnotations().get("runbook")).isEqualTo("docs/alerts.md#" + r.getAlert().toLowerCase());
      String expr = expr(r);
      if (expr.contains("turbocache_operator_")) {
        assertThat(expr).as(r.getAlert()).contains("namespace=\"build-infra\",name=\"monorepo\"");
      } else {
        assertThat(expr).as(r.getAlert()).contains("namespace=\"build-infra\",job=\"monorepo\"");
      }
    }
  }

  @Test
  void alertsOfFeaturesTheCacheDoesNotUseAreLeftOut() {
    assertThat(rules(ServerPrometheusRule.desired(monitored())).keySet()).containsExactlyInAnyOrder(
        "TurboCacheNoServerUp", "TurboCacheErrorRatioHigh", "TurboCacheHitRatioLow", "TurboCacheLatencyHigh",
        "TurboCacheTierErrors", "TurboCacheTierCircuitOpen", "TurboCacheStorageFull", "TurboCacheAuthFileStale");
    assertThat(rules(ServerPrometheusRule.desired(everything())).keySet()).contains(
        "TurboCacheS3Errors", "TurboCacheWriteBackQueueNearFull", "TurboCacheWriteBackLagging",
        "TurboCacheRedisMasters", "TurboCacheRedisSentinelsBelowQuorum", "TurboCacheJwtIssuerUnreachable");
    TurboCache standalone = TestResources.withRedisMode(monitored(), dev.turbocache.operator.api.v1alpha1.spec.RedisTierSpec.Mode.Standalone);
    assertThat(rules(ServerPrometheusRule.desired(standalone)).keySet())
        .contains("TurboCacheRedisMasters").doesNotContain("TurboCacheRedisSentinelsBelowQuorum");
  }

  @Test
  void everyAlertHasARunbookSectionInTheDocs() throws Exception {
    String doc = Files.readString(Path.of(System.getProperty("turbocache.repo.root", ".."), "docs", "alerts.md"));
    for (String alert : rules(ServerPrometheusRule.desired(everything())).keySet()) {
      assertThat(doc).as("docs/alerts.md").contains("\n### " + alert + "\n").contains("](#" + alert.toLowerCase() + ")");
    }
  }

  @Test
  void probesAndScrapesAreNotTraffic() {
    Map<String, Rule> rules = rules(ServerPrometheusRule.desired(monitored()));
    for (String alert : List.of("TurboCacheErrorRatioHigh", "TurboCacheLatencyHigh")) {
      assertThat(expr(rules.get(alert))).as(alert).contains(AlertRules.NOT_OPERATIONS);
    }
  }

  @Test
  void aShorterTimingKeepsTheExpressionsAndShortensWindowAndFor() {
    TurboCache cr = everything();
    Map<String, Rule> production = rules(ServerPrometheusRule.desired(cr));
    Map<String, Rule> fast = rules(ServerPrometheusRule.desired(cr, new AlertRules.Timing("20s", 300)));
    assertThat(fast.keySet()).isEqualTo(production.keySet());
    for (String alert : production.keySet()) {
      assertThat(expr(fast.get(alert)).replace("[20s]", "[5m]")).as(alert).isEqualTo(expr(production.get(alert)));
      assertThat(fast.get(alert).getAnnotations()).isEqualTo(production.get(alert).getAnnotations());
    }
    assertThat(production.get("TurboCacheHitRatioLow").getFor()).isEqualTo("15m");
    assertThat(fast.get("TurboCacheHitRatioLow").getFor()).isEqualTo("3s");
    assertThat(fast.get("TurboCacheRedisMasters").getFor()).isEqualTo("400ms");
  }

  @Test
  void promDurationsUseTheLargestWholeUnit() {
    assertThat(PromDuration.of(Duration.ofMinutes(90))).isEqualTo("90m");
    assertThat(PromDuration.of(Duration.ofHours(2))).isEqualTo("2h");
    assertThat(PromDuration.of(Duration.ofSeconds(3))).isEqualTo("3s");
    assertThat(PromDuration.of(Duration.ofMillis(1500))).isEqualTo("1500ms");
  }

  @Test
  void dashboardConfigMapIsLabelledForTheGrafanaSidecar() throws Exception {
    TurboCache cr = monitored();
    ConfigMap cm = DashboardConfigMap.desired(cr);
    assertThat(cm.getMetadata().getName()).isEqualTo("monorepo-dashboard");
    assertThat(cm.getMetadata().getNamespace()).isEqualTo(TestResources.NAMESPACE);
    assertThat(cm.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1").containsEntry(Labels.COMPONENT, "monitoring")
        .doesNotContainKey("team");
    assertThat(cm.getMetadata().getAnnotations()).isNullOrEmpty();
    assertThat(cm.getData()).containsOnlyKeys("turbocache.json");

    cr.getSpec().monitoring.grafanaDashboard.labels = Map.of("dashboards", "turbo");
    cr.getSpec().monitoring.grafanaDashboard.folder = "Build";
    ConfigMap custom = DashboardConfigMap.desired(cr);
    assertThat(custom.getMetadata().getLabels()).containsEntry("dashboards", "turbo").doesNotContainKey("grafana_dashboard");
    assertThat(custom.getMetadata().getAnnotations()).containsExactly(Map.entry("grafana_folder", "Build"));
  }

  @Test
  void dashboardHasADatasourceVariableAFixedUidAndPanelsForTheFeaturesInUse() throws Exception {
    TurboCache cr = everything();
    JsonNode d = JSON.readTree(DashboardConfigMap.desired(cr).getData().get(DashboardConfigMap.KEY));
    assertThat(d.path("uid").asText()).isEqualTo(Dashboard.uid(cr)).hasSizeLessThanOrEqualTo(40)
        .isEqualTo(JSON.readTree(Dashboard.json(everything())).path("uid").asText());
    TurboCache other = everything();
    other.getMetadata().setName("other");
    assertThat(Dashboard.uid(other)).isNotEqualTo(Dashboard.uid(cr));
    JsonNode variables = d.path("templating").path("list");
    assertThat(variables.get(0).path("type").asText()).isEqualTo("datasource");
    assertThat(variables.get(0).path("query").asText()).isEqualTo("prometheus");
    assertThat(variables.findValuesAsText("name")).containsExactly("datasource", "namespace", "job");
    assertThat(variables.get(1).path("query").asText()).isEqualTo("build-infra");
    assertThat(variables.get(2).path("query").asText()).isEqualTo("monorepo");
    List<String> titles = d.path("panels").findValuesAsText("title");
    assertThat(titles).contains("Requests by route", "p95 latency by route", "Hit ratio per tier", "Hit ratio per team",
        "Build time saved (seconds per second)", "Bytes served by tier", "Tier errors", "Circuit breakers open", "JVM heap",
        "Write-back queue fill", "Write-back oldest entry", "S3 p95 latency", "S3 errors", "Redis masters and sentinels (operator)");
    for (JsonNode panel : d.path("panels")) {
      assertThat(panel.path("datasource").path("uid").asText()).isEqualTo("${datasource}");
      for (JsonNode target : panel.path("targets")) {
        assertThat(target.path("datasource").path("uid").asText()).isEqualTo("${datasource}");
        assertThat(target.path("expr").asText()).as(panel.path("title").asText()).contains("namespace=\"$namespace\"");
      }
    }
    assertThat(JSON.readTree(Dashboard.json(monitored())).path("panels").findValuesAsText("title"))
        .doesNotContain("Write-back queue fill", "S3 errors", "Redis masters and sentinels (operator)");
  }
}
