package dev.turbocache.operator.server;

import dev.turbocache.operator.api.v1alpha1.ServerStatus;
import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.api.v1alpha1.TurboCacheStatus;
import dev.turbocache.operator.model.Names;
import dev.turbocache.operator.model.ResolvedSpec;
import dev.turbocache.operator.status.ComponentCondition;
import dev.turbocache.operator.status.ComponentObservation;
import dev.turbocache.operator.status.Problem;
import dev.turbocache.operator.status.Warning;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The cache servers as one reconciliation saw them: the Deployment's rollout (ServerReady), the
 * Secrets they need (a missing one is Degraded: the pods cannot start) and podTemplate overrides the
 * operator ignores.
 *
 * @param deployment the cache-server Deployment as cached, or null
 */
public record ServerObservation(TurboCache cr, ServerSecrets secrets, Deployment deployment) implements ComponentObservation {
  public static final String SERVER_READY = "ServerReady";

  @Override
  public Optional<ComponentCondition> condition() {
    return Optional.of(rollout());
  }

  private ComponentCondition rollout() {
    if (deployment == null) {
      return notReady("Creating", "Deployment '" + Names.server(cr) + "' does not exist yet");
    }
    DeploymentStatus s = deployment.getStatus() == null ? new DeploymentStatus() : deployment.getStatus();
    int desired = deployment.getSpec() == null || deployment.getSpec().getReplicas() == null ? 1 : deployment.getSpec().getReplicas();
    int available = nz(s.getAvailableReplicas());
    int updated = nz(s.getUpdatedReplicas());
    long generation = Objects.requireNonNullElse(deployment.getMetadata().getGeneration(), 0L);
    boolean observed = s.getObservedGeneration() != null && s.getObservedGeneration() >= generation;
    if (desired == 0) {
      return notReady("ScaledToZero", "spec.server.replicas is 0");
    }
    if (!observed || updated < desired) {
      return notReady("RollingOut", updated + " of " + desired + " replicas updated");
    }
    if (available < desired) {
      return notReady("ReplicasUnavailable", available + " of " + desired + " replicas available");
    }
    return new ComponentCondition(SERVER_READY, true, true, "Available", available + " of " + desired + " replicas available");
  }

  private static ComponentCondition notReady(String reason, String message) {
    return new ComponentCondition(SERVER_READY, false, true, reason, message);
  }

  /** The tokens Secret first: without it no client can authenticate. */
  @Override
  public List<Problem> problems() {
    List<Problem> out = new ArrayList<>();
    SecretProblem tokens = secrets.tokens().problem();
    if (tokens != null) {
      out.add(new Problem(tokens.kind() == SecretProblem.Kind.NOT_FOUND ? "TokensSecretMissing" : "TokensSecretInvalid",
          tokens.message()));
    }
    for (SecretProblem p : secrets.envProblems()) {
      out.add(new Problem(p.kind() == SecretProblem.Kind.NOT_FOUND ? "SecretMissing" : "SecretKeyMissing", p.message()));
    }
    return out;
  }

  @Override
  public List<Warning> warnings() {
    return PodTemplateWarnings.of(cr).stream().map(w -> new Warning("PodTemplateOverridesIgnored", w)).toList();
  }

  @Override
  public void describe(TurboCacheStatus status) {
    status.endpoint = Names.endpoint(cr, ResolvedSpec.of(cr).servicePort());
    ServerStatus s = new ServerStatus();
    DeploymentStatus ds = deployment == null || deployment.getStatus() == null ? new DeploymentStatus() : deployment.getStatus();
    s.replicas = nz(ds.getReplicas());
    s.readyReplicas = nz(ds.getReadyReplicas());
    s.availableReplicas = nz(ds.getAvailableReplicas());
    s.updatedReplicas = nz(ds.getUpdatedReplicas());
    status.server = s;
  }

  private static int nz(Integer i) {
    return i == null ? 0 : i;
  }
}
