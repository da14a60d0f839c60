package dev.turbocache.operator.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.turbocache.operator.LiveTurboCache;
import dev.turbocache.operator.OperatorSettings;
import dev.turbocache.operator.TurboCacheOperator;
import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.contract.UserSecrets;
import dev.turbocache.operator.kubeapi.Cluster;
import dev.turbocache.operator.kubeapi.JsonSubset;
import dev.turbocache.operator.kubeapi.OperatorIdentity;
import dev.turbocache.operator.kubeapi.RealApiServer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.javaoperatorsdk.operator.Operator;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The monitoring children on a real Kubernetes 1.26 API server, with the operator in its production
 * configuration and the install manifest's RBAC. The API server is this class's own: whether the
 * prometheus-operator CRDs exist is what the test is about, and other suites install them on the
 * shared one. First without those CRDs (the operator starts and reconciles, the TurboCache says
 * which CRD is missing, the dashboard ConfigMap needs none and exists), then with them installed
 * while the same operator runs: the ServiceMonitor and PrometheusRule appear, owned by the
 * TurboCache, and follow spec changes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MonitoringKubeApiIT {
  /** Two answers of the CRD check ({@link MonitoringCrds#TTL}) plus a recheck of the TurboCache, with room to spare. */
  static final Duration PICKED_UP = Duration.ofMinutes(2);
  static RealApiServer api;
  static KubernetesClient admin;
  static KubernetesClient operatorClient;
  static Operator operator;
  static String ns;
  static TurboCache created;

  @BeforeAll
  static void start() {
    api = RealApiServer.start();
    Cluster.Prepared cluster = Cluster.prepare(api, "monitoring");
    admin = cluster.admin();
    ns = cluster.namespace();
    OperatorIdentity identity = cluster.identity();
    operatorClient = identity.client();
    operator = TurboCacheOperator.create(operatorClient,
        new OperatorSettings(Set.of(ns), false, false, "unused", identity.namespace(), true, 0), null);
    operator.start();
  }

  @AfterAll
  static void stop() throws IOException {
    if (operator != null) {
      operator.stop();
    }
    if (operatorClient != null) {
      operatorClient.close();
    }
    if (api != null) {
      api.close();
    }
  }

  static LiveTurboCache cache() {
    return new LiveTurboCache(admin, ns, created.getMetadata().getName());
  }

  static TurboCache apply(TurboCache cr) {
    cr.getMetadata().setNamespace(ns);
    cr.getMetadata().setLabels(null);
    cr.getMetadata().setAnnotations(null);
    return Cluster.apply(admin, cr);
  }

  static void assertOwnedAndAsRendered(HasMetadata expected) {
    HasMetadata actual = admin.resource(expected).get();
    assertThat(actual).as("%s %s", expected.getKind(), expected.getMetadata().getName()).isNotNull();
    assertThat(actual.getMetadata().getOwnerReferences()).singleElement().satisfies((OwnerReference o) -> {
      assertThat(o.getKind()).isEqualTo("TurboCache");
      assertThat(o.getUid()).isEqualTo(created.getMetadata().getUid());
    });
    assertThat(JsonSubset.differences(expected, actual)).as("%s %s", expected.getKind(), expected.getMetadata().getName()).isEmpty();
  }

  @Test
  @Order(1)
  void withoutPrometheusOperatorTheCacheIsReconciledAndSaysWhichCrdsAreMissing() {
    TurboCache cr = MonitoredCaches.monitored();
    cr.getMetadata().setNamespace(ns);
    for (Secret s : UserSecrets.createdByUser(cr)) {
      Cluster.apply(admin, s);
    }
    created = apply(cr);
    await().atMost(PICKED_UP).untilAsserted(() -> {
      assertThat(cache().condition("Warnings")).hasValueSatisfying(warnings -> {
        assertThat(warnings.getStatus()).isEqualTo("True");
        assertThat(warnings.getReason()).isEqualTo(MonitoringObservation.CRD_MISSING);
        assertThat(warnings.getMessage()).contains(MonitoringCrds.SERVICE_MONITOR, MonitoringCrds.PROMETHEUS_RULE);
      });
      assertThat(cache().condition(MonitoringObservation.MONITORING_READY)).hasValueSatisfying(monitoring -> {
        assertThat(monitoring.getStatus()).isEqualTo("False");
        assertThat(monitoring.getReason()).isEqualTo("CrdMissing");
      });
    });
    TurboCache live = cache().get();
    assertThat(live.getStatus().monitoring.missingCrds).containsExactly(MonitoringCrds.SERVICE_MONITOR, MonitoringCrds.PROMETHEUS_RULE);
    assertThat(cache().condition("Degraded").orElseThrow().getStatus()).as("monitoring never degrades the cache").isEqualTo("False");
    assertThat(cache().deployment()).as("the cache's own children are there").isNotNull();
    assertOwnedAndAsRendered(DashboardConfigMap.desired(live));
    assertThat(admin.apiextensions().v1().customResourceDefinitions().withName(MonitoringCrds.SERVICE_MONITOR).get()).isNull();
    assertThat(operator.getRuntimeInfo().allEventSourcesAreHealthy()).isTrue();
  }

  @Test
  @Order(2)
  void installingTheCrdsWhileTheOperatorRunsBringsTheChildren() throws IOException {
    installCrd("/helm/servicemonitors.monitoring.coreos.com.yaml");
    installCrd("/monitoring/prometheusrules.monitoring.coreos.com.yaml");
    await("ServiceMonitor and PrometheusRule created without an operator restart").atMost(PICKED_UP).untilAsserted(() -> {
      TurboCache live = cache().get();
      assertOwnedAndAsRendered(ServerServiceMonitor.desired(live));
      assertOwnedAndAsRendered(ServerPrometheusRule.desired(live));
    });
    await().atMost(PICKED_UP).untilAsserted(() -> {
      assertThat(cache().conditionIs(MonitoringObservation.MONITORING_READY, "True")).isTrue();
      assertThat(cache().condition("Warnings")).hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("False"));
    });
    ServiceMonitor sm = admin.resources(ServiceMonitor.class).inNamespace(ns).withName(created.getMetadata().getName()).get();
    assertThat(sm.getMetadata().getLabels()).containsAllEntriesOf(MonitoredCaches.RELEASE);
    assertThat(cache().get().getStatus().monitoring.missingCrds).isNull();
  }

  @Test
  @Order(3)
  void theChildrenFollowTheSpec() {
    TurboCache cr = MonitoredCaches.monitored();
    cr.getSpec().monitoring.prometheusRule.hitRatioBelow = 0.5;
    cr.getSpec().monitoring.serviceMonitor.enabled = false;
    apply(cr);
    await().atMost(PICKED_UP).untilAsserted(() -> {
      assertThat(admin.resources(ServiceMonitor.class).inNamespace(ns).withName(created.getMetadata().getName()).get())
          .as("a disabled ServiceMonitor is deleted").isNull();
      PrometheusRule pr = admin.resources(PrometheusRule.class).inNamespace(ns).withName(created.getMetadata().getName()).get();
      assertThat(pr.getSpec().getGroups().get(0).getRules()).filteredOn(r -> r.getAlert().equals("TurboCacheHitRatioLow"))
          .singleElement().satisfies(r -> assertThat(r.getExpr().getStrVal()).contains(") < 0.5 and"));
    });
    ConfigMap dashboard = admin.configMaps().inNamespace(ns).withName(created.getMetadata().getName() + "-dashboard").get();
    assertThat(dashboard).isNotNull();
  }

  static void installCrd(String resource) throws IOException {
    try (InputStream in = MonitoringKubeApiIT.class.getResourceAsStream(resource)) {
      CustomResourceDefinition crd = Cluster.apply(admin, Serialization.unmarshal(in, CustomResourceDefinition.class));
      await().atMost(Duration.ofSeconds(30)).until(() -> Cluster.established(admin, crd.getMetadata().getName()));
    }
  }
}
