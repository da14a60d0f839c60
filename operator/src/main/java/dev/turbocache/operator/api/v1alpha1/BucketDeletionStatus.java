package dev.turbocache.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** How far emptying a Managed bucket has come (deletionPolicy Delete). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BucketDeletionStatus {
  @JsonPropertyDescription("Objects under the prefix deleted so far.")
  public Long objectsDeleted;

  @JsonPropertyDescription("DeletingObjects, or Failed (the finalizer stays; the BucketReady condition says why).")
  public String phase;
}
