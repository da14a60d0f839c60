package dev.turbocache.operator.server;

import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.dependent.OptionalDependent;
import dev.turbocache.operator.dependent.TurboCacheDependent;
import dev.turbocache.operator.model.Labels;
import dev.turbocache.operator.model.Names;
import dev.turbocache.operator.model.ResolvedSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** HorizontalPodAutoscaler (autoscaling/v2, CPU) of the cache-server Deployment when autoscaling is set. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.SERVER_SELECTOR))
public class ServerAutoscaler extends TurboCacheDependent<HorizontalPodAutoscaler> {

  public ServerAutoscaler() {
    super(HorizontalPodAutoscaler.class, Names::server, ServerAutoscaler::desired);
  }

  public static class Enabled extends OptionalDependent.Enabled<HorizontalPodAutoscaler> {
    public Enabled() {
      super(s -> s.autoscaling() != null);
    }
  }

  public static HorizontalPodAutoscaler desired(TurboCache cr) {
    ResolvedSpec.Autoscaling a = OptionalDependent.required(ResolvedSpec.of(cr).autoscaling(), "autoscaling");
    return new HorizontalPodAutoscalerBuilder()
        .withMetadata(metadata(cr, Names.server(cr), Labels.Component.CACHE_SERVER))
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
