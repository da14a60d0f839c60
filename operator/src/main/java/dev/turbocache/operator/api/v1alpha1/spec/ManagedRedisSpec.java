package dev.turbocache.operator.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.turbocache.operator.api.v1alpha1.ApiDefaults;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

/** What a Redis run by the operator (Sentinel or Standalone mode) is made of. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ManagedRedisSpec {
  @JsonPropertyDescription("Redis image (the official image; redis-server, redis-cli and sh are used). Defaults to the version the operator is tested with.")
  public String image;

  @JsonPropertyDescription("Resources of each Redis container. Default: requests and limits of memory sized to maxMemory plus headroom, 100m CPU.")
  public ResourceRequirements resources;

  @JsonPropertyDescription("A PersistentVolumeClaim per Redis pod; without it the data lives in an emptyDir (it is a cache: a restarted pod syncs from the master).")
  public StorageSpec storage;

  @JsonPropertyDescription("Redis maxmemory; least recently used keys are evicted beyond it (allkeys-lru).")
  @Default(ApiDefaults.REDIS_MAX_MEMORY)
  @Pattern(ApiDefaults.SIZE_PATTERN)
  public String maxMemory;

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class StorageSpec {
    @JsonPropertyDescription("Size of each Redis pod's PersistentVolumeClaim.")
    @Required
    @Pattern(ApiDefaults.SIZE_PATTERN)
    public String size;

    @JsonPropertyDescription("StorageClass of the claims; the cluster's default when absent.")
    public String storageClassName;
  }
}
