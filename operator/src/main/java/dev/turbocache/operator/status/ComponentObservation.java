package dev.turbocache.operator.status;

import dev.turbocache.operator.api.v1alpha1.TurboCacheStatus;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What one component of a TurboCache (the cache servers, Redis, the bucket, monitoring) saw in one
 * reconciliation, as its contribution to the status. The aggregator combines these into Ready,
 * Progressing, Degraded and Warnings; each component keeps its own judgement.
 */
public interface ComponentObservation {

  /** The component's own condition (ServerReady, RedisReady, ...); empty for a component without one. */
  Optional<ComponentCondition> condition();

  /** What makes the whole TurboCache Degraded (a missing Secret, two Redis masters), in priority order. */
  default List<Problem> problems() {
    return List.of();
  }

  /** What the spec asks of this component that it ignores. */
  default List<Warning> warnings() {
    return List.of();
  }

  /**
   * When to look again although no Kubernetes event may come: something outside the cluster's
   * objects (a CRD being installed) can change what the component would report.
   */
  default Optional<Duration> recheckAfter() {
    return Optional.empty();
  }

  /** Writes the component's own section of the status ({@code status.server}, {@code status.redis}, ...). */
  default void describe(TurboCacheStatus status) {}
}
