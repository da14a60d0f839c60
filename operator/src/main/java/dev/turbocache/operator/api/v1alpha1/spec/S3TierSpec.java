package dev.turbocache.operator.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.turbocache.operator.api.v1alpha1.ApiDefaults;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Map;

// retentionDays and deletionPolicy carry no schema default: the operator tells "set" from "absent"
// to warn when an External bucket names them (ResolvedSpec applies their defaults).
@JsonInclude(JsonInclude.Include.NON_NULL)
public class S3TierSpec {
  @JsonPropertyDescription("Managed: the operator creates the bucket when absent and keeps its configuration (Block Public Access, default encryption, lifecycle, tags, TLS-only policy). External: the bucket exists; the operator only uses it.")
  @Default(ApiDefaults.S3_PROVISIONING)
  public Provisioning provisioning;

  @JsonPropertyDescription("Name of the bucket: 3-63 lowercase letters, digits, dots and hyphens.")
  @Required
  @Pattern("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
  public String bucket;

  @JsonPropertyDescription("Region of the bucket; a Managed bucket is created there. The cache server defaults to us-east-1.")
  @Pattern("^[a-z0-9-]+$")
  public String region;

  @JsonPropertyDescription("S3-compatible endpoint (MinIO, R2, Ceph, ...).")
  @Pattern("^https?://.+$")
  public String endpoint;

  @JsonPropertyDescription("Address the bucket as <endpoint>/<bucket> rather than <bucket>.<endpoint>, as MinIO and Ceph usually need (default false).")
  @Default(ApiDefaults.S3_FORCE_PATH_STYLE)
  public Boolean forcePathStyle;

  @JsonPropertyDescription("Key prefix of the artifacts in the bucket (default turbo/); the cache servers' IAM policy covers only keys under it, and a Managed bucket's expiry rule applies to it.")
  @Default(ApiDefaults.S3_PREFIX)
  public String prefix;

  @JsonPropertyDescription("Managed buckets: objects under the prefix expire this many days after they were written (default 30).")
  @Min(1)
  public Integer retentionDays;

  @JsonPropertyDescription("Server-side encryption. Managed buckets get it as their default encryption (SSE-S3 when absent); the cache servers send it with every upload in both modes.")
  public S3EncryptionSpec encryption;

  @JsonPropertyDescription("Managed buckets, when the TurboCache is deleted: Retain (default) keeps the bucket and its objects; Delete removes the objects under the prefix, then the bucket if the operator created it and nothing else is in it.")
  public DeletionPolicy deletionPolicy;

  @JsonPropertyDescription("Managed buckets: the Block Public Access settings (all true unless turned off here).")
  public S3PublicAccessBlockSpec publicAccessBlock;

  @JsonPropertyDescription("Managed buckets: tags added to the operator's own (turbocache.dev/owner, turbocache.dev/namespace, turbocache.dev/name); at most 47, as S3 allows 50.")
  @ValidationRule(
      value = "self.all(k, !k.startsWith('turbocache.dev/') && !k.startsWith('aws:'))",
      message = "tiers.s3.tags: keys starting with turbocache.dev/ are the operator's and aws: is reserved by AWS")
  @Size(max = 47)
  @ValidationRule(
      value = "self.all(k, size(k) <= 128 && size(self[k]) <= 256)",
      message = "tiers.s3.tags: keys have at most 128 characters, values at most 256")
  public Map<String, String> tags;

  @JsonPropertyDescription("How the cache servers authenticate to S3: secretRef, roleArn (IRSA) or podIdentity; with none of them, the default AWS credential chain.")
  public S3CredentialsSpec credentials;

  public enum Provisioning { Managed, External }

  public enum DeletionPolicy { Retain, Delete }
}
