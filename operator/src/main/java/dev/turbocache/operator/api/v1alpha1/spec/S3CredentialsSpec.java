package dev.turbocache.operator.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "(has(self.secretRef) ? 1 : 0) + (has(self.roleArn) ? 1 : 0) + ((has(self.podIdentity) && self.podIdentity) ? 1 : 0) <= 1",
    message = "tiers.s3.credentials: set only one of secretRef, roleArn or podIdentity")
public class S3CredentialsSpec {
  @JsonPropertyDescription("Secret with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY keys; given to the server as environment variables, never written into its ConfigMap. Without any credentials the default AWS chain is used.")
  public NameRef secretRef;

  @JsonPropertyDescription("IAM role for IRSA; annotates the ServiceAccount with eks.amazonaws.com/role-arn.")
  @Pattern("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$")
  public String roleArn;

  @JsonPropertyDescription("Use EKS Pod Identity (association managed outside the operator).")
  public Boolean podIdentity;

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class NameRef {
    @JsonPropertyDescription("Name of the Secret, in the namespace of the TurboCache.")
    @Required
    public String name;
  }
}
