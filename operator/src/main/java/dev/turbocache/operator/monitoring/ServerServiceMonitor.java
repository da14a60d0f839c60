package dev.turbocache.operator.monitoring;

import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.dependent.OptionalDependent;
import dev.turbocache.operator.dependent.TurboCacheDependent;
import dev.turbocache.operator.model.Labels;
import dev.turbocache.operator.model.Names;
import dev.turbocache.operator.model.ResolvedSpec;
import dev.turbocache.operator.server.ServerMetricsService;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitorBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/**
 * Optional ServiceMonitor (spec.monitoring.serviceMonitor.enabled): Prometheus scrapes the port
 * {@value ServerMetricsService#METRICS_PORT_NAME} of the cache servers' metrics Service, which it
 * selects by {@link Labels#metricsServiceSelector} (the clients' Service carries the other labels
 * too). The job is the Service's label {@value #JOB_LABEL}, i.e. the TurboCache's name, which is
 * what {@link AlertRules} and the dashboard select on; without it prometheus-operator would name the
 * job after the Service.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MONITORING_SELECTOR))
public class ServerServiceMonitor extends TurboCacheDependent<ServiceMonitor> {
  public static final String PATH = "/metrics";
  public static final String JOB_LABEL = Labels.INSTANCE;

  public ServerServiceMonitor() {
    super(ServiceMonitor.class, Names::monitoring, ServerServiceMonitor::desired);
  }

  public static class Enabled extends OptionalDependent.Enabled<ServiceMonitor> {
    public Enabled() {
      super(s -> s.monitoring().serviceMonitor() != null);
    }
  }

  public static ServiceMonitor desired(TurboCache cr) {
    ResolvedSpec.ServiceMonitor m =
        OptionalDependent.required(ResolvedSpec.of(cr).monitoring().serviceMonitor(), "monitoring.serviceMonitor");
    return new ServiceMonitorBuilder()
        .withMetadata(new ObjectMetaBuilder(metadata(cr, Names.monitoring(cr), Labels.Component.MONITORING))
            .withLabels(Labels.of(cr, Labels.Component.MONITORING, m.labels()))
            .build())
        .withNewSpec()
        .withJobLabel(JOB_LABEL)
        .withNewSelector()
        .withMatchLabels(Labels.metricsServiceSelector(cr))
        .endSelector()
        .withNewNamespaceSelector()
        .withMatchNames(cr.getMetadata().getNamespace())
        .endNamespaceSelector()
        .addNewEndpoint()
        .withPort(ServerMetricsService.METRICS_PORT_NAME)
        .withPath(PATH)
        .withScheme("http")
        .withInterval(m.interval())
        .withScrapeTimeout(m.scrapeTimeout())
        .endEndpoint()
        .endSpec()
        .build();
  }
}
