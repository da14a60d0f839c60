package dev.turbocache.operator.bucket;

import dev.turbocache.operator.model.ResolvedSpec;

/** Opens a {@link BucketClient} for a TurboCache's s3 tier (its endpoint, region, path style). */
@FunctionalInterface
public interface BucketClients {

  /** @throws BucketException when the operator has no usable credentials */
  BucketClient open(ResolvedSpec.S3 s3);
}
