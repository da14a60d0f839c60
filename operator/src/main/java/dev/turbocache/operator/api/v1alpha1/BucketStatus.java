package dev.turbocache.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The s3 tier's bucket as the operator last saw it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BucketStatus {
  @JsonPropertyDescription("Name of the bucket.")
  public String name;

  @JsonPropertyDescription("Region of the bucket.")
  public String region;

  @JsonPropertyDescription("Managed or External.")
  public String provisioning;

  @JsonPropertyDescription("True when the operator created the bucket (only then may deletionPolicy Delete remove the bucket itself).")
  public Boolean createdByOperator;

  @JsonPropertyDescription("The least-privilege IAM policy the cache servers need (JSON); also in the ConfigMap named by iamPolicyConfigMap.")
  public String iamPolicy;

  @JsonPropertyDescription("ConfigMap holding iamPolicy under the key policy.json.")
  public String iamPolicyConfigMap;

  @JsonPropertyDescription("Progress of emptying the bucket after the TurboCache was deleted (deletionPolicy Delete).")
  public BucketDeletionStatus deletion;
}
