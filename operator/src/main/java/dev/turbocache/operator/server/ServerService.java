package dev.turbocache.operator.server;

import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.dependent.TurboCacheDependent;
import dev.turbocache.operator.model.Labels;
import dev.turbocache.operator.model.Names;
import dev.turbocache.operator.model.ResolvedSpec;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/**
 * Service of the cache servers: a named {@code http} port (the clients' port, the only one the
 * Ingress routes) and a named {@code metrics} port on the server's management port ({@code
 * /metrics} and the probes).
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.SERVER_SELECTOR))
public class ServerService extends TurboCacheDependent<Service> {
  public static final String HTTP_PORT_NAME = "http";
  public static final String METRICS_PORT_NAME = "metrics";
  /** Service port of the metrics endpoint (moved to 9091 when the http port is 9090). */
  public static final int METRICS_PORT = 9090;

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
        .withPorts(
            new ServicePortBuilder()
                .withName(HTTP_PORT_NAME)
                .withProtocol("TCP")
                .withPort(s.servicePort())
                .withTargetPort(new IntOrString(HTTP_PORT_NAME))
                .build(),
            new ServicePortBuilder()
                .withName(METRICS_PORT_NAME)
                .withProtocol("TCP")
                .withPort(s.servicePort() == METRICS_PORT ? METRICS_PORT + 1 : METRICS_PORT)
                .withTargetPort(new IntOrString(METRICS_PORT_NAME))
                .build())
        .endSpec()
        .build();
  }
}
