package dev.turbocache.operator.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.turbocache.operator.api.v1alpha1.ApiDefaults;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

/** mode Sentinel: a Redis master with replicas, watched by a separate set of sentinels that fail over. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.quorum) || !has(self.sentinels) || self.quorum <= self.sentinels",
    message = "tiers.redis.sentinel.quorum must not exceed tiers.redis.sentinel.sentinels")
@ValidationRule(
    value = "!has(self.sentinels) || self.sentinels % 2 == 1",
    message = "tiers.redis.sentinel.sentinels must be odd, so that a majority of them can agree on a failover")
public class RedisSentinelSpec extends ManagedRedisSpec {
  @JsonPropertyDescription("Redis pods: one master and the rest replicas.")
  @Default(ApiDefaults.REDIS_REPLICAS)
  @Min(1)
  public Integer redisReplicas;

  @JsonPropertyDescription("Sentinel pods (odd); a failover needs a majority of them.")
  @Default(ApiDefaults.SENTINELS)
  @Min(1)
  public Integer sentinels;

  @JsonPropertyDescription("Sentinels that must agree the master is down before a failover starts.")
  @Default(ApiDefaults.QUORUM)
  @Min(1)
  public Integer quorum;

  @JsonPropertyDescription("How long the master must be unreachable before a sentinel considers it down.")
  @Default(ApiDefaults.SENTINEL_DOWN_AFTER)
  @Pattern(ApiDefaults.DURATION_PATTERN)
  public String downAfter;

  @JsonPropertyDescription("Resources of each sentinel container. Default: 50m CPU, 64Mi memory.")
  public ResourceRequirements sentinelResources;
}
