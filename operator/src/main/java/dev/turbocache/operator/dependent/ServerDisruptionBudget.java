package dev.turbocache.operator.dependent;

import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.model.Labels;
import dev.turbocache.operator.model.Names;
import dev.turbocache.operator.model.ResolvedSpec;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/** PodDisruptionBudget of the cache servers (on by default, maxUnavailable 1). */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class ServerDisruptionBudget extends CRUDKubernetesDependentResource<PodDisruptionBudget, TurboCache> {

  public ServerDisruptionBudget() {
    super(PodDisruptionBudget.class);
  }

  /** Identifies the child without desired(), which is undefined while the feature is off (needed for deletion). */
  @Override
  protected ResourceID targetSecondaryResourceID(TurboCache primary, Context<TurboCache> context) {
    return new ResourceID(Names.server(primary), primary.getMetadata().getNamespace());
  }

  @Override
  protected PodDisruptionBudget desired(TurboCache primary, Context<TurboCache> context) {
    return desired(primary);
  }

  public static class Enabled implements Condition<PodDisruptionBudget, TurboCache> {
    @Override
    public boolean isMet(
        DependentResource<PodDisruptionBudget, TurboCache> dr, TurboCache primary, Context<TurboCache> context) {
      return ResolvedSpec.of(primary).podDisruptionBudget() != null;
    }
  }

  public static PodDisruptionBudget desired(TurboCache cr) {
    ResolvedSpec.Pdb p = ResolvedSpec.of(cr).podDisruptionBudget();
    if (p == null) {
      throw new IllegalStateException("podDisruptionBudget is disabled");
    }
    return new PodDisruptionBudgetBuilder()
        .withNewMetadata()
        .withName(Names.server(cr))
        .withNamespace(cr.getMetadata().getNamespace())
        .withLabels(Labels.of(cr, Labels.Component.CACHE_SERVER))
        .endMetadata()
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
