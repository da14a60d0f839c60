package dev.turbocache.operator.server;

import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.dependent.TurboCacheDependent;
import dev.turbocache.operator.model.Labels;
import dev.turbocache.operator.model.Names;
import dev.turbocache.operator.model.ResolvedSpec;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/**
 * Service of the cache servers for their clients, of {@code server.service.type}: the named {@code
 * http} port only (what the Ingress routes). The management port has a ClusterIP Service of its
 * own, {@link ServerMetricsService}, so a LoadBalancer or NodePort never exposes {@code /metrics}.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.SERVER_SELECTOR))
public class ServerService extends TurboCacheDependent<Service> {
  public static final String HTTP_PORT_NAME = "http";

  public ServerService() {
    super(Service.class, Names::server, ServerService::desired);
  }

  public static Service desired(TurboCache cr) {
    ResolvedSpec s = ResolvedSpec.of(cr);
    return new ServiceBuilder()
        .withMetadata(metadata(cr, Names.server(cr), Labels.Component.CACHE_SERVER, s.serviceAnnotations()))
        .withNewSpec()
        .withType(s.serviceType())
        .withSelector(Labels.selector(cr, Labels.Component.CACHE_SERVER))
        .addNewPort()
        .withName(HTTP_PORT_NAME)
        .withProtocol("TCP")
        .withPort(s.servicePort())
        .withTargetPort(new IntOrString(HTTP_PORT_NAME))
        .endPort()
        .endSpec()
        .build();
  }
}
