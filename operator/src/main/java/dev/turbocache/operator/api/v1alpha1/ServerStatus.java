package dev.turbocache.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ServerStatus {
  @JsonPropertyDescription("Pods of the cache-server Deployment.")
  public Integer replicas;
  @JsonPropertyDescription("Pods whose readiness probe passes: their durable tier is reachable.")
  public Integer readyReplicas;
  @JsonPropertyDescription("Pods that have been ready for the Deployment's minReadySeconds.")
  public Integer availableReplicas;
  @JsonPropertyDescription("Pods of the current pod template (the others are being replaced).")
  public Integer updatedReplicas;
}
