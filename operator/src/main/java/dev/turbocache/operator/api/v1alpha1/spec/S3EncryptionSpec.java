package dev.turbocache.operator.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.turbocache.operator.api.v1alpha1.ApiDefaults;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.ValidationRule;
import com.fasterxml.jackson.annotation.JsonProperty;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.type) || self.type != 'SSE-KMS' || has(self.kmsKeyId)",
    message = "tiers.s3.encryption.kmsKeyId is required when tiers.s3.encryption.type is SSE-KMS")
public class S3EncryptionSpec {
  @Default(ApiDefaults.S3_ENCRYPTION)
  public Type type;

  public String kmsKeyId;

  public enum Type {
    @JsonProperty("SSE-S3")
    SSE_S3,
    @JsonProperty("SSE-KMS")
    SSE_KMS
  }
}
