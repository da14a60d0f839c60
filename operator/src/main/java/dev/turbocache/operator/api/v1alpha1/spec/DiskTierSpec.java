package dev.turbocache.operator.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.turbocache.operator.api.v1alpha1.ApiDefaults;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class DiskTierSpec {
  @JsonPropertyDescription("Give each pod a disk tier (default true): an emptyDir, or an ephemeral PersistentVolumeClaim when storageClassName is set.")
  @Default(ApiDefaults.DISK_ENABLED)
  public Boolean enabled;

  @JsonPropertyDescription("Volume size per pod; the server keeps the cache a little below it.")
  @Default(ApiDefaults.DISK_SIZE)
  @Pattern(ApiDefaults.SIZE_PATTERN)
  public String size;

  @JsonPropertyDescription("When set, each pod gets an ephemeral PersistentVolumeClaim of this class instead of an emptyDir.")
  public String storageClassName;
}
