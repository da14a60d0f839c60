package dev.turbocache.operator.server;

import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.dependent.OptionalDependent;
import dev.turbocache.operator.dependent.TurboCacheDependent;
import dev.turbocache.operator.model.Labels;
import dev.turbocache.operator.model.Names;
import dev.turbocache.operator.model.ResolvedSpec;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLSBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.Map;
import java.util.TreeMap;

/**
 * Optional Ingress (spec.server.ingress.enabled) routing to the Service's http port. It carries
 * annotations that make ingress-nginx, the most common controller, pass artifacts through as they
 * come: without them it refuses uploads over 1 MiB with its own 413 and first writes each upload
 * to its disk. Other controllers ignore them; the user's annotations override them.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.SERVER_SELECTOR))
public class ServerIngress extends TurboCacheDependent<Ingress> {

  public ServerIngress() {
    super(Ingress.class, Names::server, ServerIngress::desired);
  }

  /** Precondition: the Ingress exists only while enabled; JOSDK deletes it otherwise. */
  public static class Enabled extends OptionalDependent.Enabled<Ingress> {
    public Enabled() {
      super(s -> s.ingress() != null);
    }
  }

  /** The server applies its own limit (server.maxArtifactSize) and answers it in JSON; uploads stream. */
  static final Map<String, String> INGRESS_NGINX = Map.of(
      "nginx.ingress.kubernetes.io/proxy-body-size", "0",
      "nginx.ingress.kubernetes.io/proxy-request-buffering", "off");

  public static Ingress desired(TurboCache cr) {
    ResolvedSpec.Ingress i = OptionalDependent.required(ResolvedSpec.of(cr).ingress(), "ingress");
    Map<String, String> annotations = new TreeMap<>(INGRESS_NGINX);
    annotations.putAll(i.annotations());
    IngressBuilder b =
        new IngressBuilder()
            .withMetadata(metadata(cr, Names.server(cr), Labels.Component.CACHE_SERVER, annotations))
            .withNewSpec()
            .withIngressClassName(i.className())
            .addNewRule()
            .withHost(i.host())
            .withNewHttp()
            .addNewPath()
            .withPath(i.path())
            .withPathType("Prefix")
            .withNewBackend()
            .withNewService()
            .withName(Names.server(cr))
            .withNewPort()
            .withName(ServerService.HTTP_PORT_NAME)
            .endPort()
            .endService()
            .endBackend()
            .endPath()
            .endHttp()
            .endRule()
            .endSpec();
    if (i.tlsSecretName() != null) {
      b.editSpec()
          .withTls(new IngressTLSBuilder().withHosts(i.host()).withSecretName(i.tlsSecretName()).build())
          .endSpec();
    }
    return b.build();
  }
}
