package dev.turbocache.operator.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class RedisExternalSpec {
  @JsonPropertyDescription("redis://, rediss:// or redis-sentinel:// URI (without password).")
  @Required
  @Pattern("^(redis|rediss|redis-sentinel)://.+$")
  public String uri;

  @JsonPropertyDescription("Secret key holding the Redis password; given to the server as the TURBOCACHE_STORAGE_REDIS_PASSWORD environment variable, never written into its ConfigMap.")
  public PasswordSecretRef passwordSecretRef;
}
