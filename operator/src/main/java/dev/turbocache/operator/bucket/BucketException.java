package dev.turbocache.operator.bucket;

/** A failed S3 call of a {@link BucketClient}; never carries credentials. */
public final class BucketException extends RuntimeException {
  private final BucketError error;

  public BucketException(BucketError error, Throwable cause) {
    super(error.message(), cause);
    this.error = error;
  }

  public BucketError error() {
    return error;
  }
}
