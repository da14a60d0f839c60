package dev.turbocache.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ServerStatus {
  public Integer replicas;
  public Integer readyReplicas;
  public Integer availableReplicas;
  public Integer updatedReplicas;
}
