package dev.turbocache.operator.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.turbocache.operator.api.v1alpha1.ApiDefaults;
import io.fabric8.generator.annotation.Default;

/** The bucket's Block Public Access settings (S3 PutPublicAccessBlock), each on unless set to false. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class S3PublicAccessBlockSpec {
  @JsonPropertyDescription("Refuse requests that set a public ACL. Ceph RGW 16 refuses every upload while this is true; with ignorePublicAcls on, public ACLs still have no effect.")
  @Default(ApiDefaults.TRUE)
  public Boolean blockPublicAcls;

  @JsonPropertyDescription("Ignore every public ACL on the bucket and its objects.")
  @Default(ApiDefaults.TRUE)
  public Boolean ignorePublicAcls;

  @JsonPropertyDescription("Refuse bucket policies that grant public access.")
  @Default(ApiDefaults.TRUE)
  public Boolean blockPublicPolicy;

  @JsonPropertyDescription("Restrict access to a bucket with a public policy to AWS services and the owner's principals.")
  @Default(ApiDefaults.TRUE)
  public Boolean restrictPublicBuckets;
}
