package dev.turbocache.operator.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class TiersSpec {
  @JsonPropertyDescription("The in-process tier of each pod, for small artifacts; it fills from downloads.")
  public MemoryTierSpec memory;
  @JsonPropertyDescription("Each pod's local disk tier, evicting the least recently used artifacts at its size.")
  public DiskTierSpec disk;
  @JsonPropertyDescription("A Redis shared by all pods: one the operator runs (Sentinel, Standalone), an existing one (External), or none (Disabled, the default).")
  public RedisTierSpec redis;
  @JsonPropertyDescription("The durable tier: a bucket the operator creates and keeps (Managed) or an existing one (External).")
  public S3TierSpec s3;
}
