package dev.turbocache.operator.bucket;

/**
 * The parts of a Managed bucket's configuration the operator keeps, each read and written whole by
 * its own S3 API, so each is compared and corrected on its own.
 */
public enum BucketSection {
  PUBLIC_ACCESS_BLOCK("GetPublicAccessBlock", "PutPublicAccessBlock", "Block Public Access"),
  ENCRYPTION("GetBucketEncryption", "PutBucketEncryption", "default encryption"),
  LIFECYCLE("GetBucketLifecycleConfiguration", "PutBucketLifecycleConfiguration", "lifecycle rules"),
  TAGGING("GetBucketTagging", "PutBucketTagging", "tags"),
  POLICY("GetBucketPolicy", "PutBucketPolicy", "TLS-only bucket policy");

  /** The S3 API that reads the section, as AWS names it (and as the operator's IAM policy needs it). */
  public final String readApi;
  /** The S3 API that writes it. */
  public final String writeApi;
  /** What it is, for messages. */
  public final String description;

  BucketSection(String readApi, String writeApi, String description) {
    this.readApi = readApi;
    this.writeApi = writeApi;
    this.description = description;
  }
}
