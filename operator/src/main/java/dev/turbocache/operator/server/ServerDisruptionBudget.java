package dev.turbocache.operator.server;

import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.dependent.OptionalDependent;
import dev.turbocache.operator.dependent.TurboCacheDependent;
import dev.turbocache.operator.model.Labels;
import dev.turbocache.operator.model.Names;
import dev.turbocache.operator.model.ResolvedSpec;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** PodDisruptionBudget of the cache servers (on by default, maxUnavailable 1). */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.SERVER_SELECTOR))
public class ServerDisruptionBudget extends TurboCacheDependent<PodDisruptionBudget> {

  public ServerDisruptionBudget() {
    super(PodDisruptionBudget.class, Names::server, ServerDisruptionBudget::desired);
  }

  public static class Enabled extends OptionalDependent.Enabled<PodDisruptionBudget> {
    public Enabled() {
      super(s -> s.podDisruptionBudget() != null);
    }
  }

  public static PodDisruptionBudget desired(TurboCache cr) {
    ResolvedSpec.Pdb p = OptionalDependent.required(ResolvedSpec.of(cr).podDisruptionBudget(), "podDisruptionBudget");
    return new PodDisruptionBudgetBuilder()
        .withMetadata(metadata(cr, Names.server(cr), Labels.Component.CACHE_SERVER))
        .withNewSpec()
        .withMaxUnavailable(p.maxUnavailable())
        .withMinAvailable(p.minAvailable())
        .withNewSelector()
        .withMatchLabels(Labels.selector(cr, Labels.Component.CACHE_SERVER))
        .endSelector()
        .endSpec()
        .build();
  }
}
