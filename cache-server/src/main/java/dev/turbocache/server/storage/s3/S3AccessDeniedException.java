package dev.turbocache.server.storage.s3;

import java.io.IOException;

/**
 * The bucket answered 403 for an object under the cache prefix. Never a cache miss: without
 * {@code s3:ListBucket} S3 answers 403 instead of 404 for keys that do not exist, so a 403 may
 * hide a miss or a real permission problem, and the tier cannot tell which. It fails the lookup
 * (the tiered store counts it as an error, not as a miss) and says what to grant.
 */
public class S3AccessDeniedException extends IOException {
  private final String bucket;
  private final String key;

  S3AccessDeniedException(String operation, String bucket, String key, String prefix,
      Throwable cause) {
    super(message(operation, bucket, key, prefix), cause);
    this.bucket = bucket;
    this.key = key;
  }

  public String bucket() {
    return bucket;
  }

  public String key() {
    return key;
  }

  private static String message(String operation, String bucket, String key, String prefix) {
    String scope = prefix.isEmpty() ? "the bucket" : "the prefix '" + prefix + "'";
    return "S3 bucket '" + bucket + "' denied access (HTTP 403) to " + operation + " " + key
        + ". Grant s3:ListBucket on arn:aws:s3:::" + bucket + " for " + scope
        + " (condition s3:prefix \"" + prefix + "*\"): without it S3 answers 403 instead of 404 for"
        + " missing keys, so missing artifacts cannot be told from forbidden ones. Reads and writes"
        + " also need s3:GetObject and s3:PutObject (plus s3:AbortMultipartUpload) on arn:aws:s3:::"
        + bucket + "/" + prefix + "*.";
  }
}
