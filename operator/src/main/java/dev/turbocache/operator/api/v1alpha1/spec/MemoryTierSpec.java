package dev.turbocache.operator.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.turbocache.operator.api.v1alpha1.ApiDefaults;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class MemoryTierSpec {
  @JsonPropertyDescription("Memory for artifacts in each pod (default 512Mi); keep it under half the server's heap.")
  @Default(ApiDefaults.MEMORY_MAX_SIZE)
  @Pattern(ApiDefaults.SIZE_PATTERN)
  public String maxSize;

  @JsonPropertyDescription("Larger artifacts skip the memory tier.")
  @Default(ApiDefaults.MEMORY_MAX_ARTIFACT_SIZE)
  @Pattern(ApiDefaults.SIZE_PATTERN)
  public String maxArtifactSize;

  @JsonPropertyDescription("How long an artifact stays in memory after it was written (default 1h).")
  @Default(ApiDefaults.MEMORY_TTL)
  @Pattern(ApiDefaults.DURATION_PATTERN)
  public String ttl;

  @JsonPropertyDescription("Write uploads into the memory tier too. Off (the default), it fills "
      + "from downloads only: most uploaded artifacts are never read again, and skipping them "
      + "keeps memory for the ones that are and saves every upload a copy.")
  @Default(ApiDefaults.MEMORY_STORE_UPLOADS)
  public Boolean storeUploads;
}
