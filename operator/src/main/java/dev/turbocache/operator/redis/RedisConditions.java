package dev.turbocache.operator.redis;

import dev.turbocache.operator.dependent.OptionalDependent;
import io.fabric8.kubernetes.api.model.HasMetadata;

/** Reconcile preconditions of the Redis children: JOSDK deletes a child once its mode no longer needs it. */
public final class RedisConditions {
  private RedisConditions() {}

  /** Modes Sentinel and Standalone: the operator runs Redis. */
  public static class Managed extends OptionalDependent.Enabled<HasMetadata> {
    public Managed() {
      super(s -> s.redis().managed() != null);
    }
  }

  /** Mode Sentinel: sentinels, their Services and the Redis replicas' disruption budget. */
  public static class SentinelMode extends OptionalDependent.Enabled<HasMetadata> {
    public SentinelMode() {
      super(s -> s.redis().managed() != null && s.redis().sentinel());
    }
  }

  /** Mode Standalone: the Service in front of the single Redis. */
  public static class StandaloneMode extends OptionalDependent.Enabled<HasMetadata> {
    public StandaloneMode() {
      super(s -> s.redis().managed() != null && !s.redis().sentinel());
    }
  }
}
