package dev.turbocache.operator.dependent;

import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.model.Labels;
import dev.turbocache.operator.model.Names;
import dev.turbocache.operator.model.ResolvedSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/** HorizontalPodAutoscaler (autoscaling/v2, CPU) of the cache-server Deployment when autoscaling is set. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class ServerAutoscaler extends CRUDKubernetesDependentResource<HorizontalPodAutoscaler, TurboCache> {

  public ServerAutoscaler() {
    super(HorizontalPodAutoscaler.class);
  }

  /** Identifies the child without desired(), which is undefined while the feature is off (needed for deletion). */
  @Override
  protected ResourceID targetSecondaryResourceID(TurboCache primary, Context<TurboCache> context) {
    return new ResourceID(Names.server(primary), primary.getMetadata().getNamespace());
  }

  @Override
  protected HorizontalPodAutoscaler desired(TurboCache primary, Context<TurboCache> context) {
    return desired(primary);
  }

  public static class Enabled implements Condition<HorizontalPodAutoscaler, TurboCache> {
    @Override
    public boolean isMet(
        DependentResource<HorizontalPodAutoscaler, TurboCache> dr, TurboCache primary, Context<TurboCache> context) {
      return ResolvedSpec.of(primary).autoscaling() != null;
    }
  }

  public static HorizontalPodAutoscaler desired(TurboCache cr) {
    ResolvedSpec.Autoscaling a = ResolvedSpec.of(cr).autoscaling();
    if (a == null) {
      throw new IllegalStateException("autoscaling is not set");
    }
    return new HorizontalPodAutoscalerBuilder()
        .withNewMetadata()
        .withName(Names.server(cr))
        .withNamespace(cr.getMetadata().getNamespace())
        .withLabels(Labels.of(cr, Labels.Component.CACHE_SERVER))
        .endMetadata()
        .withNewSpec()
        .withNewScaleTargetRef()
        .withApiVersion("apps/v1")
        .withKind("Deployment")
        .withName(Names.server(cr))
        .endScaleTargetRef()
        .withMinReplicas(a.minReplicas())
        .withMaxReplicas(a.maxReplicas())
        .addNewMetric()
        .withType("Resource")
        .withNewResource()
        .withName("cpu")
        .withNewTarget()
        .withType("Utilization")
        .withAverageUtilization(a.targetCpuPercent())
        .endTarget()
        .endResource()
        .endMetric()
        .endSpec()
        .build();
  }
}
