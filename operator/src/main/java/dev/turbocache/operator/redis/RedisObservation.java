package dev.turbocache.operator.redis;

import dev.turbocache.operator.api.v1alpha1.RedisStatus;
import dev.turbocache.operator.api.v1alpha1.TurboCacheStatus;
import dev.turbocache.operator.model.ResolvedSpec;
import dev.turbocache.operator.server.SecretEnv;
import dev.turbocache.operator.server.ServerSecrets;
import dev.turbocache.operator.status.ComponentCondition;
import dev.turbocache.operator.status.ComponentObservation;
import dev.turbocache.operator.status.Problem;
import java.util.List;
import java.util.Optional;

/**
 * The redis tier as one reconciliation saw it (RedisReady, {@code status.redis}). External: used as
 * given, its health is not probed, and it never blocks Ready. Sentinel and Standalone: the operator's
 * own Redis, judged by the topology check; the TurboCache is Ready only when it is, and two masters
 * make it Degraded.
 *
 * @param verdict the topology check's judgement of an operator-managed Redis; null while none ran
 *     (nothing created yet, or the check could not run)
 */
public record RedisObservation(ResolvedSpec.Redis redis, ServerSecrets secrets, TopologyVerdict verdict)
    implements ComponentObservation {
  public static final String REDIS_READY = "RedisReady";

  @Override
  public Optional<ComponentCondition> condition() {
    if (redis.managed() != null) {
      if (verdict == null) {
        return Optional.of(new ComponentCondition(REDIS_READY, false, true, "Creating",
            "the " + redis.mode() + " Redis is being created"));
      }
      return Optional.of(new ComponentCondition(REDIS_READY, verdict.ready(), true, verdict.reason(), verdict.message()));
    }
    if (!redis.rendered()) {
      return Optional.of(external(false, "Disabled", "spec.tiers.redis.mode is Disabled: the cache has no redis tier"));
    }
    for (ServerSecrets.EnvSecret e : secrets.env()) {
      if (e.ref().env().equals(SecretEnv.REDIS_PASSWORD) && e.problem() != null) {
        return Optional.of(external(false, "PasswordUnavailable", e.problem().message()));
      }
    }
    return Optional.of(external(true, "External",
        "The cache servers use the external Redis of spec.tiers.redis.external.uri (its health is not checked by the operator)"));
  }

  @Override
  public List<Problem> problems() {
    return verdict != null && verdict.splitBrain() ? List.of(new Problem("RedisSplitBrain", verdict.message())) : List.of();
  }

  @Override
  public void describe(TurboCacheStatus status) {
    if (redis.managed() == null || verdict == null) {
      return;
    }
    RedisStatus s = new RedisStatus();
    s.master = verdict.master();
    s.masters = verdict.masters();
    s.replicasInSync = verdict.replicasInSync();
    s.replicas = verdict.replicas();
    s.sentinelsReady = verdict.sentinelsReady();
    s.sentinels = verdict.sentinels();
    status.redis = s;
  }

  /** An external or disabled Redis never blocks Ready: the cache serves without its redis tier. */
  private static ComponentCondition external(boolean ready, String reason, String message) {
    return new ComponentCondition(REDIS_READY, ready, false, reason, message);
  }
}
