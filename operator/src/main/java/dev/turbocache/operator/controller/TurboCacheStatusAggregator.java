package dev.turbocache.operator.controller;

import dev.turbocache.operator.api.v1alpha1.ServerStatus;
import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.api.v1alpha1.TurboCacheStatus;
import dev.turbocache.operator.dependent.PodTemplateWarnings;
import dev.turbocache.operator.model.Names;
import dev.turbocache.operator.model.ResolvedSpec;
import dev.turbocache.operator.model.SecretEnv;
import dev.turbocache.operator.model.ServerSecrets;
import dev.turbocache.operator.model.TokensSecret;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds the whole TurboCache status from what the reconciler observed. The only place where
 * conditions are built: each condition keeps its lastTransitionTime unless its status changes.
 */
public final class TurboCacheStatusAggregator {
  public static final String READY = "Ready";
  public static final String PROGRESSING = "Progressing";
  public static final String DEGRADED = "Degraded";
  public static final String PAUSED = "Paused";
  public static final String SERVER_READY = "ServerReady";
  /** The redis tier: External is used as given; the operator-managed modes report NotImplemented. */
  public static final String REDIS_READY = "RedisReady";
  /** True when the spec asks for something the operator ignores; never affects Ready. */
  public static final String WARNINGS = "Warnings";

  /**
   * What one reconciliation saw.
   *
   * @param secrets every referenced Secret (tokens, Redis password, S3 keys)
   * @param deployment the cache-server Deployment as cached, or null
   * @param failure why the reconciliation failed, or null
   */
  public record Observation(ServerSecrets secrets, Deployment deployment, ReconcileFailure failure) {}

  private final Clock clock;

  public TurboCacheStatusAggregator(Clock clock) {
    this.clock = clock;
  }

  public TurboCacheStatus aggregate(TurboCache cr, Observation o) {
    ResolvedSpec spec = ResolvedSpec.of(cr);
    long generation = Objects.requireNonNullElse(cr.getMetadata().getGeneration(), 0L);
    List<Condition> previous = cr.getStatus() == null ? List.of() : cr.getStatus().conditions;

    State server = serverState(cr, o.deployment());
    State degraded = degradedState(o);
    boolean paused = spec.paused();

    State ready =
        degraded.status
            ? new State(false, "Degraded", degraded.message)
            : server.status
                ? new State(true, "Ready", "The cache is serving at " + Names.endpoint(cr, spec.servicePort()))
                : new State(false, "ServerNotReady", server.message);
    State progressing =
        paused
            ? new State(false, "Paused", "Changes are not applied while spec.paused is true")
            : degraded.status
                ? new State(false, "Blocked", degraded.message)
                : server.status
                    ? new State(false, "Complete", "All components are up to date")
                    : new State(true, server.reason, server.message);
    State pausedState =
        paused
            ? new State(true, "SpecPaused", "spec.paused is true: the operator does not change the children of this TurboCache")
            : new State(false, "NotPaused", "Reconciling normally");

    TurboCacheStatus status = new TurboCacheStatus();
    status.observedGeneration = generation;
    status.endpoint = Names.endpoint(cr, spec.servicePort());
    status.server = serverStatus(o.deployment());
    List<Condition> conditions = new ArrayList<>();
    conditions.add(condition(READY, ready, generation, previous));
    conditions.add(condition(PROGRESSING, progressing, generation, previous));
    conditions.add(condition(DEGRADED, degraded, generation, previous));
    conditions.add(condition(PAUSED, pausedState, generation, previous));
    conditions.add(condition(SERVER_READY, server, generation, previous));
    conditions.add(condition(REDIS_READY, redisState(spec.redis(), o.secrets()), generation, previous));
    conditions.add(condition(WARNINGS, warnings(cr, spec), generation, previous));
    status.conditions = conditions;
    return status;
  }

  private record State(boolean status, String reason, String message) {}

  private static State warnings(TurboCache cr, ResolvedSpec spec) {
    List<String> podTemplate = PodTemplateWarnings.of(cr);
    List<String> notImplemented = new ArrayList<>();
    if (spec.redis().notImplemented()) {
      notImplemented.add(redisNotImplemented(spec.redis()));
    }
    if (spec.s3() != null && !"External".equals(spec.s3().provisioning())) {
      notImplemented.add("spec.tiers.s3.provisioning " + spec.s3().provisioning()
          + " is not yet supported: the bucket must exist; the operator only uses it");
    }
    if (podTemplate.isEmpty() && notImplemented.isEmpty()) {
      return new State(false, "None", "No warnings");
    }
    List<String> all = new ArrayList<>(notImplemented);
    all.addAll(podTemplate);
    return new State(true, notImplemented.isEmpty() ? "PodTemplateOverridesIgnored" : "NotImplemented", String.join("; ", all));
  }

  private static String redisNotImplemented(ResolvedSpec.Redis redis) {
    return "spec.tiers.redis.mode " + redis.mode()
        + " (a Redis run by the operator) is not yet supported: the cache servers run without a redis tier;"
        + " use mode External with an existing Redis";
  }

  private static State redisState(ResolvedSpec.Redis redis, ServerSecrets secrets) {
    if (redis.notImplemented()) {
      return new State(false, "NotImplemented", redisNotImplemented(redis));
    }
    if (!redis.rendered()) {
      return new State(false, "Disabled", "spec.tiers.redis.mode is Disabled: the cache has no redis tier");
    }
    for (ServerSecrets.EnvSecret e : secrets.env()) {
      if (e.ref().env().equals(SecretEnv.REDIS_PASSWORD) && e.problem() != null) {
        return new State(false, "PasswordUnavailable", e.problem());
      }
    }
    return new State(true, "External",
        "The cache servers use the external Redis of spec.tiers.redis.external.uri (its health is not checked by the operator)");
  }

  private static State degradedState(Observation o) {
    TokensSecret tokens = o.secrets().tokens();
    if (!tokens.usable()) {
      String reason = tokens.problem().contains("not found") ? "TokensSecretMissing" : "TokensSecretInvalid";
      return new State(true, reason, tokens.problem());
    }
    List<String> secretProblems = o.secrets().envProblems();
    if (!secretProblems.isEmpty()) {
      String reason = secretProblems.get(0).contains("not found") ? "SecretMissing" : "SecretKeyMissing";
      return new State(true, reason, String.join("; ", secretProblems));
    }
    if (o.failure() != null) {
      return new State(true, o.failure().reason().name(), o.failure().message());
    }
    return new State(false, "AsExpected", "No problems detected");
  }

  private static State serverState(TurboCache cr, Deployment d) {
    if (d == null) {
      return new State(false, "Creating", "Deployment '" + Names.server(cr) + "' does not exist yet");
    }
    DeploymentStatus s = d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
    int desired = d.getSpec() == null || d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    int available = nz(s.getAvailableReplicas());
    int updated = nz(s.getUpdatedReplicas());
    long generation = Objects.requireNonNullElse(d.getMetadata().getGeneration(), 0L);
    boolean observed = s.getObservedGeneration() != null && s.getObservedGeneration() >= generation;
    if (desired == 0) {
      return new State(false, "ScaledToZero", "spec.server.replicas is 0");
    }
    if (!observed || updated < desired) {
      return new State(false, "RollingOut", updated + " of " + desired + " replicas updated");
    }
    if (available < desired) {
      return new State(false, "ReplicasUnavailable", available + " of " + desired + " replicas available");
    }
    return new State(true, "Available", available + " of " + desired + " replicas available");
  }

  private static ServerStatus serverStatus(Deployment d) {
    ServerStatus s = new ServerStatus();
    DeploymentStatus ds = d == null || d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
    s.replicas = nz(ds.getReplicas());
    s.readyReplicas = nz(ds.getReadyReplicas());
    s.availableReplicas = nz(ds.getAvailableReplicas());
    s.updatedReplicas = nz(ds.getUpdatedReplicas());
    return s;
  }

  private Condition condition(String type, State state, long generation, List<Condition> previous) {
    String status = state.status ? "True" : "False";
    String lastTransition =
        previous.stream()
            .filter(c -> type.equals(c.getType()) && status.equals(c.getStatus()) && c.getLastTransitionTime() != null)
            .map(Condition::getLastTransitionTime)
            .findFirst()
            .orElseGet(() -> clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(state.reason)
        .withMessage(state.message)
        .withObservedGeneration(generation)
        .withLastTransitionTime(lastTransition)
        .build();
  }

  private static int nz(Integer i) {
    return i == null ? 0 : i;
  }
}
