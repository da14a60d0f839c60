package dev.turbocache.operator.monitoring;

import dev.turbocache.operator.TestResources;
import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.api.v1alpha1.spec.MonitoringSpec;
import dev.turbocache.operator.api.v1alpha1.spec.RedisTierSpec;
import dev.turbocache.operator.api.v1alpha1.spec.ServerSpec;
import java.util.Map;

/** TurboCaches with spec.monitoring switched on, for the monitoring tests. */
public final class MonitoredCaches {
  public static final Map<String, String> RELEASE = Map.of("release", "kube-prometheus-stack");

  private MonitoredCaches() {}

  /** ServiceMonitor, PrometheusRule and dashboard enabled, the first two with the kube-prometheus-stack label. */
  public static TurboCache monitored(TurboCache cr) {
    MonitoringSpec m = new MonitoringSpec();
    m.serviceMonitor = new MonitoringSpec.ServiceMonitor();
    m.serviceMonitor.enabled = true;
    m.serviceMonitor.labels = RELEASE;
    m.prometheusRule = new MonitoringSpec.PrometheusRule();
    m.prometheusRule.enabled = true;
    m.prometheusRule.labels = RELEASE;
    m.grafanaDashboard = new MonitoringSpec.GrafanaDashboard();
    m.grafanaDashboard.enabled = true;
    cr.getSpec().monitoring = m;
    return cr;
  }

  public static TurboCache monitored() {
    return monitored(TestResources.minimal());
  }

  /**
   * Every optional feature the alerts and panels know: write-back to S3, a Redis Sentinel set run
   * by the operator, and a JWT issuer.
   */
  public static TurboCache everything() {
    TurboCache cr = monitored();
    cr.getSpec().auth.jwt = TestResources.githubActionsJwt();
    TestResources.withS3(cr, TestResources.S3Auth.SECRET);
    TestResources.withRedisMode(cr, RedisTierSpec.Mode.Sentinel);
    cr.getSpec().server = new ServerSpec();
    cr.getSpec().server.writePolicy = ServerSpec.WritePolicy.WriteBack;
    return cr;
  }
}
