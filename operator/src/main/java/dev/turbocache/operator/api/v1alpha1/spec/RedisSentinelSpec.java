package dev.turbocache.operator.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.turbocache.operator.api.v1alpha1.ApiDefaults;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.quorum) || !has(self.sentinels) || self.quorum <= self.sentinels",
    message = "tiers.redis.sentinel.quorum must not exceed tiers.redis.sentinel.sentinels")
public class RedisSentinelSpec {
  @Default(ApiDefaults.REDIS_REPLICAS)
  @Min(1)
  public Integer redisReplicas;

  @Default(ApiDefaults.SENTINELS)
  @Min(1)
  public Integer sentinels;

  @Default(ApiDefaults.QUORUM)
  @Min(1)
  public Integer quorum;

  public String image;

  public ResourceRequirements resources;

  public StorageSpec storage;

  @Default(ApiDefaults.REDIS_MAX_MEMORY)
  @Pattern(ApiDefaults.SIZE_PATTERN)
  public String maxMemory;

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class StorageSpec {
    @Required
    @Pattern(ApiDefaults.SIZE_PATTERN)
    public String size;

    public String storageClassName;
  }
}
