package dev.turbocache.operator.bucket;

import java.util.List;

/**
 * The S3 calls the operator makes on a bucket, behind an interface so that the reconcile logic is
 * tested without S3 and the real client ({@link SdkBucketClient}) stays a thin translation. Every
 * method reports a failed call as a {@link BucketException}, except {@link #read}, whose result
 * says how reading went.
 */
public interface BucketClient extends AutoCloseable {

  /** HeadBucket: true when the bucket exists and the operator may use it, false when it does not exist. */
  boolean exists(String bucket);

  /**
   * CreateBucket in {@code region} (with a LocationConstraint outside us-east-1).
   *
   * @return true when created, false when it already was the operator's (BucketAlreadyOwnedByYou)
   */
  boolean create(String bucket, String region);

  SectionState read(String bucket, BucketSection section);

  void write(String bucket, SectionValue value);

  /**
   * One page of keys under the prefix (ListObjectsV2, at most {@code max} keys).
   *
   * @param continuation null: from the start; else the {@link Page#next()} of the page before
   */
  Page list(String bucket, String prefix, int max, String continuation);

  /**
   * @param next where the listing goes on; null at its end. A page may be short, even empty, and
   *     still not be the last (Ceph RGW skips entries of objects deleted a moment ago)
   */
  record Page(List<String> keys, String next) {}

  /** DeleteObjects; fails when S3 reports any key as not deleted. */
  void delete(String bucket, List<String> keys);

  /** Aborts every incomplete multipart upload under the prefix; returns how many. */
  int abortUploads(String bucket, String prefix);

  void deleteBucket(String bucket);

  @Override
  void close();
}
