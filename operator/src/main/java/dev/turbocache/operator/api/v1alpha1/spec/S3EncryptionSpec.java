package dev.turbocache.operator.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.turbocache.operator.api.v1alpha1.ApiDefaults;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.ValidationRule;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.type) || self.type != 'SSE-KMS' || has(self.kmsKeyId)",
    message = "tiers.s3.encryption.kmsKeyId is required when tiers.s3.encryption.type is SSE-KMS")
@ValidationRule(
    value = "!has(self.kmsKeyId) || (has(self.type) && self.type == 'SSE-KMS')",
    message = "tiers.s3.encryption.kmsKeyId applies only to type SSE-KMS")
public class S3EncryptionSpec {
  @JsonPropertyDescription("SSE-S3 (default: keys managed by S3) or SSE-KMS (with kmsKeyId).")
  @Default(ApiDefaults.S3_ENCRYPTION)
  public Type type;

  @JsonPropertyDescription("SSE-KMS: the KMS key (key ARN, key id or alias/name) S3 encrypts with; the cache servers' IAM policy is granted kms:GenerateDataKey and kms:Decrypt on it.")
  public String kmsKeyId;

  public enum Type {
    @JsonProperty("SSE-S3")
    SSE_S3,
    @JsonProperty("SSE-KMS")
    SSE_KMS
  }
}
