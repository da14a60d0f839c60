package dev.turbocache.operator.bucket;

import dev.turbocache.operator.api.v1alpha1.spec.S3TierSpec;
import dev.turbocache.operator.model.ResolvedSpec;
import dev.turbocache.operator.status.ComponentCondition;
import dev.turbocache.operator.status.ComponentObservation;
import dev.turbocache.operator.status.Warning;
import java.util.List;
import java.util.Optional;

/**
 * The s3 tier's bucket. Only External buckets are supported so far: the operator uses the bucket as
 * given; Managed (the operator creates and keeps it) is a warning until it is built.
 *
 * @param s3 null when the TurboCache has no s3 tier
 */
public record BucketObservation(ResolvedSpec.S3 s3) implements ComponentObservation {

  @Override
  public Optional<ComponentCondition> condition() {
    return Optional.empty();
  }

  @Override
  public List<Warning> warnings() {
    if (s3 == null || s3.provisioning() == S3TierSpec.Provisioning.External) {
      return List.of();
    }
    return List.of(new Warning("NotImplemented", "spec.tiers.s3.provisioning " + s3.provisioning()
        + " is not yet supported: the bucket must exist; the operator only uses it"));
  }
}
