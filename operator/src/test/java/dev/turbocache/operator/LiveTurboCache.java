package dev.turbocache.operator;

import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.server.ServerDeployment;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Optional;

/** A TurboCache and its Deployment as a test reads them from an API server (the mock server or a real one). */
public record LiveTurboCache(KubernetesClient client, String namespace, String name) {

  public TurboCache get() {
    return client.resources(TurboCache.class).inNamespace(namespace).withName(name).get();
  }

  public Deployment deployment() {
    return client.apps().deployments().inNamespace(namespace).withName(name).get();
  }

  public Optional<Condition> condition(String type) {
    TurboCache cr = get();
    return cr == null || cr.getStatus() == null ? Optional.empty()
        : cr.getStatus().conditions.stream().filter(c -> c.getType().equals(type)).findFirst();
  }

  public boolean conditionIs(String type, String status) {
    return condition(type).map(c -> c.getStatus().equals(status)).orElse(false);
  }

  /** Status written by a reconciliation of the current generation. */
  public boolean statusCurrent() {
    TurboCache cr = get();
    return cr != null && cr.getStatus() != null && cr.getMetadata().getGeneration().equals(cr.getStatus().observedGeneration);
  }

  /**
   * Plays the Deployment controller (neither API server runs one here): the current generation is
   * rolled out and every replica is available, written to the status subresource.
   */
  public void markDeploymentAvailable() {
    Deployment d = deployment();
    int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    d.setStatus(new DeploymentStatusBuilder()
        .withObservedGeneration(d.getMetadata().getGeneration())
        .withReplicas(replicas).withReadyReplicas(replicas).withAvailableReplicas(replicas).withUpdatedReplicas(replicas)
        .build());
    client.resource(d).updateStatus();
  }

  public static String checksum(Deployment d) {
    return d.getSpec().getTemplate().getMetadata().getAnnotations().get(ServerDeployment.CHECKSUM_ANNOTATION);
  }
}
