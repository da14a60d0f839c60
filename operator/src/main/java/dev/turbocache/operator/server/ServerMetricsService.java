package dev.turbocache.operator.server;

import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.dependent.TurboCacheDependent;
import dev.turbocache.operator.model.Labels;
import dev.turbocache.operator.model.Names;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/**
 * Service of the cache servers' management port ({@code /metrics}, which names the teams, and the
 * probes), for Prometheus. Always ClusterIP whatever {@code server.service.type} is, and apart from
 * {@link ServerService}: a LoadBalancer or NodePort Service exposes every port it has, so the
 * clients' Service has none but {@code http}.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.SERVER_SELECTOR))
public class ServerMetricsService extends TurboCacheDependent<Service> {
  /** Name of the management port, on the container and on this Service. */
  public static final String METRICS_PORT_NAME = "metrics";
  public static final int METRICS_PORT = ServerConfig.MANAGEMENT_PORT;

  public ServerMetricsService() {
    super(Service.class, Names::serverMetrics, ServerMetricsService::desired);
  }

  public static Service desired(TurboCache cr) {
    return new ServiceBuilder()
        .withMetadata(new ObjectMetaBuilder(metadata(cr, Names.serverMetrics(cr), Labels.Component.CACHE_SERVER))
            .addToLabels(Labels.SERVICE, Labels.METRICS_SERVICE)
            .build())
        .withNewSpec()
        .withType("ClusterIP")
        .withSelector(Labels.selector(cr, Labels.Component.CACHE_SERVER))
        .addNewPort()
        .withName(METRICS_PORT_NAME)
        .withProtocol("TCP")
        .withPort(METRICS_PORT)
        .withTargetPort(new IntOrString(METRICS_PORT_NAME))
        .endPort()
        .endSpec()
        .build();
  }
}
