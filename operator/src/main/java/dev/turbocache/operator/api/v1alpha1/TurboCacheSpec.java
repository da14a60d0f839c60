package dev.turbocache.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.turbocache.operator.api.v1alpha1.spec.AuthSpec;
import dev.turbocache.operator.api.v1alpha1.spec.MonitoringSpec;
import dev.turbocache.operator.api.v1alpha1.spec.NetworkPolicySpec;
import dev.turbocache.operator.api.v1alpha1.spec.PodDisruptionBudgetSpec;
import dev.turbocache.operator.api.v1alpha1.spec.ServerSpec;
import dev.turbocache.operator.api.v1alpha1.spec.TiersSpec;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class TurboCacheSpec {
  @JsonPropertyDescription("When true the operator stops changing the children of this TurboCache and reports a Paused condition.")
  @Default(ApiDefaults.PAUSED)
  public Boolean paused;

  @JsonPropertyDescription("The cache-server Deployment, its Service and optional Ingress and autoscaling.")
  public ServerSpec server;

  @JsonPropertyDescription("Client authentication: the Secret holding the tokens file.")
  @Required
  public AuthSpec auth;

  @JsonPropertyDescription("Storage tiers, read top-down: memory, disk, redis, s3.")
  public TiersSpec tiers;

  @JsonPropertyDescription("Prometheus ServiceMonitor, alert rules and Grafana dashboard.")
  public MonitoringSpec monitoring;

  @JsonPropertyDescription("NetworkPolicy restricting who may reach the cache server.")
  public NetworkPolicySpec networkPolicy;

  @JsonPropertyDescription("PodDisruptionBudget of the cache-server pods.")
  public PodDisruptionBudgetSpec podDisruptionBudget;
}
