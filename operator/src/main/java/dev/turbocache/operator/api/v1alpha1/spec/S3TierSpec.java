package dev.turbocache.operator.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.turbocache.operator.api.v1alpha1.ApiDefaults;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class S3TierSpec {
  @JsonPropertyDescription("Managed: the operator creates and configures the bucket. External: the bucket exists; the operator only uses it.")
  @Default(ApiDefaults.S3_PROVISIONING)
  public Provisioning provisioning;

  @Required
  @Pattern("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
  public String bucket;

  @Pattern("^[a-z0-9-]+$")
  public String region;

  @JsonPropertyDescription("S3-compatible endpoint (MinIO, R2, ...).")
  @Pattern("^https?://.+$")
  public String endpoint;

  @Default(ApiDefaults.S3_FORCE_PATH_STYLE)
  public Boolean forcePathStyle;

  @Default(ApiDefaults.S3_PREFIX)
  public String prefix;

  @JsonPropertyDescription("Objects under the prefix expire after this many days (Managed buckets).")
  @Default(ApiDefaults.S3_RETENTION_DAYS)
  @Min(1)
  public Integer retentionDays;

  public S3EncryptionSpec encryption;

  @JsonPropertyDescription("Retain keeps the bucket when the TurboCache is deleted; Delete empties and deletes it (Managed only).")
  @Default(ApiDefaults.S3_DELETION_POLICY)
  public DeletionPolicy deletionPolicy;

  public S3CredentialsSpec credentials;

  public enum Provisioning { Managed, External }

  public enum DeletionPolicy { Retain, Delete }
}
