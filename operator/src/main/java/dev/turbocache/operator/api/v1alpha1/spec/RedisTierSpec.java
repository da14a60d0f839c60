package dev.turbocache.operator.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.turbocache.operator.api.v1alpha1.ApiDefaults;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.mode) || self.mode != 'External' || (has(self.external) && has(self.external.uri))",
    message = "tiers.redis.external.uri is required when tiers.redis.mode is External")
public class RedisTierSpec {
  @JsonPropertyDescription("Sentinel and Standalone: the operator runs Redis; External: use an existing Redis; Disabled: no redis tier.")
  @Default(ApiDefaults.REDIS_MODE)
  public Mode mode;

  @JsonPropertyDescription("The Redis and sentinels of mode Sentinel.")
  public RedisSentinelSpec sentinel;

  @JsonPropertyDescription("The Redis of mode Standalone.")
  public RedisStandaloneSpec standalone;

  @JsonPropertyDescription("mode External: the Redis to use and its password.")
  public RedisExternalSpec external;

  @JsonPropertyDescription("Larger artifacts skip the redis tier (default 8Mi).")
  @Default(ApiDefaults.REDIS_MAX_ARTIFACT_SIZE)
  @Pattern(ApiDefaults.SIZE_PATTERN)
  public String maxArtifactSize;

  @JsonPropertyDescription("How long an artifact stays in Redis after it was written (default 24h).")
  @Default(ApiDefaults.REDIS_TTL)
  @Pattern(ApiDefaults.DURATION_PATTERN)
  public String ttl;

  public enum Mode { Sentinel, Standalone, External, Disabled }
}
