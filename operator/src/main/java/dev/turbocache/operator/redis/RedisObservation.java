package dev.turbocache.operator.redis;

import dev.turbocache.operator.model.ResolvedSpec;
import dev.turbocache.operator.server.SecretEnv;
import dev.turbocache.operator.server.ServerSecrets;
import dev.turbocache.operator.status.ComponentCondition;
import dev.turbocache.operator.status.ComponentObservation;
import dev.turbocache.operator.status.Warning;
import java.util.List;
import java.util.Optional;

/**
 * The redis tier (RedisReady). External: used as given, its health is not probed. The
 * operator-managed modes are not built yet: they report NotImplemented and the cache servers run
 * without a redis tier, which is a warning, not a degradation.
 */
public record RedisObservation(ResolvedSpec.Redis redis, ServerSecrets secrets) implements ComponentObservation {
  public static final String REDIS_READY = "RedisReady";

  @Override
  public Optional<ComponentCondition> condition() {
    if (redis.notImplemented()) {
      return Optional.of(state(false, "NotImplemented", notImplementedMessage()));
    }
    if (!redis.rendered()) {
      return Optional.of(state(false, "Disabled", "spec.tiers.redis.mode is Disabled: the cache has no redis tier"));
    }
    for (ServerSecrets.EnvSecret e : secrets.env()) {
      if (e.ref().env().equals(SecretEnv.REDIS_PASSWORD) && e.problem() != null) {
        return Optional.of(state(false, "PasswordUnavailable", e.problem().message()));
      }
    }
    return Optional.of(state(true, "External",
        "The cache servers use the external Redis of spec.tiers.redis.external.uri (its health is not checked by the operator)"));
  }

  @Override
  public List<Warning> warnings() {
    return redis.notImplemented() ? List.of(new Warning("NotImplemented", notImplementedMessage())) : List.of();
  }

  private String notImplementedMessage() {
    return "spec.tiers.redis.mode " + redis.mode()
        + " (a Redis run by the operator) is not yet supported: the cache servers run without a redis tier;"
        + " use mode External with an existing Redis";
  }

  /** Never required for Ready: the cache serves without its redis tier. */
  private static ComponentCondition state(boolean ready, String reason, String message) {
    return new ComponentCondition(REDIS_READY, ready, false, reason, message);
  }
}
