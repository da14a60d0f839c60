package dev.turbocache.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The operator-managed Redis as the operator last saw it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RedisStatus {
  @JsonPropertyDescription("The pod that is the master, e.g. monorepo-redis-0; absent when there is none.")
  public String master;

  @JsonPropertyDescription("Redis pods that report being a master (1 when healthy).")
  public Integer masters;

  @JsonPropertyDescription("Replicas connected to the master with their initial sync done.")
  public Integer replicasInSync;

  @JsonPropertyDescription("Redis pods the operator runs (master and replicas).")
  public Integer replicas;

  @JsonPropertyDescription("Sentinels that answer, are not in TILT mode and monitor the master.")
  public Integer sentinelsReady;

  @JsonPropertyDescription("Sentinel pods the operator runs.")
  public Integer sentinels;
}
