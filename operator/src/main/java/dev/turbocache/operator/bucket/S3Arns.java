package dev.turbocache.operator.bucket;

/** ARNs of a bucket, its objects and KMS keys, in the partition of the region. */
final class S3Arns {
  private S3Arns() {}

  /** {@code aws}, or {@code aws-cn} / {@code aws-us-gov} for regions of those partitions. */
  static String partition(String region) {
    if (region.startsWith("cn-")) {
      return "aws-cn";
    }
    if (region.startsWith("us-gov-")) {
      return "aws-us-gov";
    }
    return "aws";
  }

  static String bucket(String region, String bucket) {
    return "arn:" + partition(region) + ":s3:::" + bucket;
  }

  /** Every object whose key starts with {@code keyPrefix} (IAM's {@code *} matches the rest). */
  static String objects(String region, String bucket, String keyPrefix) {
    return bucket(region, bucket) + "/" + keyPrefix + "*";
  }

  /** A key id as a key ARN (any account); an ARN as it is. Aliases have no ARN that grants key use. */
  static String kmsKey(String region, String keyId) {
    return keyId.startsWith("arn:") ? keyId : "arn:" + partition(region) + ":kms:" + region + ":*:key/" + keyId;
  }
}
