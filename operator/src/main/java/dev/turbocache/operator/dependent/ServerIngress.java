package dev.turbocache.operator.dependent;

import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.model.Labels;
import dev.turbocache.operator.model.Names;
import dev.turbocache.operator.model.ResolvedSpec;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLSBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/** Optional Ingress (spec.server.ingress.enabled) routing to the Service's http port. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class ServerIngress extends CRUDKubernetesDependentResource<Ingress, TurboCache> {

  public ServerIngress() {
    super(Ingress.class);
  }

  /** Identifies the child without desired(), which is undefined while the feature is off (needed for deletion). */
  @Override
  protected ResourceID targetSecondaryResourceID(TurboCache primary, Context<TurboCache> context) {
    return new ResourceID(Names.server(primary), primary.getMetadata().getNamespace());
  }

  @Override
  protected Ingress desired(TurboCache primary, Context<TurboCache> context) {
    return desired(primary);
  }

  /** Precondition: the Ingress exists only while enabled; JOSDK deletes it otherwise. */
  public static class Enabled implements Condition<Ingress, TurboCache> {
    @Override
    public boolean isMet(DependentResource<Ingress, TurboCache> dr, TurboCache primary, Context<TurboCache> context) {
      return ResolvedSpec.of(primary).ingress() != null;
    }
  }

  public static Ingress desired(TurboCache cr) {
    ResolvedSpec.Ingress i = ResolvedSpec.of(cr).ingress();
    if (i == null) {
      throw new IllegalStateException("ingress is not enabled");
    }
    IngressBuilder b =
        new IngressBuilder()
            .withNewMetadata()
            .withName(Names.server(cr))
            .withNamespace(cr.getMetadata().getNamespace())
            .withLabels(Labels.of(cr, Labels.Component.CACHE_SERVER))
            .withAnnotations(new java.util.LinkedHashMap<>(i.annotations()))
            .endMetadata()
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
