package dev.turbocache.operator.dependent;

import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.model.Labels;
import dev.turbocache.operator.model.Names;
import dev.turbocache.operator.model.ResolvedSpec;
import dev.turbocache.operator.model.ServerConfig;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.List;

/**
 * Optional NetworkPolicy: only the given peers (default: pods of the same namespace) may reach the
 * cache server's port; everything else is denied ingress.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class ServerNetworkPolicy extends CRUDKubernetesDependentResource<NetworkPolicy, TurboCache> {

  public ServerNetworkPolicy() {
    super(NetworkPolicy.class);
  }

  /** Identifies the child without desired(), which is undefined while the feature is off (needed for deletion). */
  @Override
  protected ResourceID targetSecondaryResourceID(TurboCache primary, Context<TurboCache> context) {
    return new ResourceID(Names.server(primary), primary.getMetadata().getNamespace());
  }

  @Override
  protected NetworkPolicy desired(TurboCache primary, Context<TurboCache> context) {
    return desired(primary);
  }

  public static class Enabled implements Condition<NetworkPolicy, TurboCache> {
    @Override
    public boolean isMet(DependentResource<NetworkPolicy, TurboCache> dr, TurboCache primary, Context<TurboCache> context) {
      return ResolvedSpec.of(primary).networkPolicy() != null;
    }
  }

  public static NetworkPolicy desired(TurboCache cr) {
    ResolvedSpec.NetworkPolicy n = ResolvedSpec.of(cr).networkPolicy();
    if (n == null) {
      throw new IllegalStateException("networkPolicy is not enabled");
    }
    List<NetworkPolicyPeer> from =
        n.from().isEmpty() ? List.of(new NetworkPolicyPeerBuilder().withNewPodSelector().endPodSelector().build()) : n.from();
    return new NetworkPolicyBuilder()
        .withNewMetadata()
        .withName(Names.server(cr))
        .withNamespace(cr.getMetadata().getNamespace())
        .withLabels(Labels.of(cr, Labels.Component.CACHE_SERVER))
        .endMetadata()
        .withNewSpec()
        .withNewPodSelector()
        .withMatchLabels(Labels.selector(cr, Labels.Component.CACHE_SERVER))
        .endPodSelector()
        .withPolicyTypes("Ingress")
        .addNewIngress()
        .withFrom(from)
        .addNewPort()
        .withProtocol("TCP")
        .withPort(new IntOrString(ServerConfig.PORT))
        .endPort()
        .endIngress()
        .endSpec()
        .build();
  }
}
