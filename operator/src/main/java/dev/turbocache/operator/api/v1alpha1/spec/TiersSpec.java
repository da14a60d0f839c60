package dev.turbocache.operator.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class TiersSpec {
  public MemoryTierSpec memory;
  public DiskTierSpec disk;
  public RedisTierSpec redis;
  public S3TierSpec s3;
}
