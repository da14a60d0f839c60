package dev.turbocache.operator.bucket;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Empties a Managed bucket for deletionPolicy Delete, a bounded amount per step so that a bucket of
 * millions of objects neither blocks a reconciler thread nor hides its progress: each step deletes
 * up to {@code pagesPerStep} pages of {@code pageSize} objects under the prefix (one DeleteObjects
 * per page), and the last one, which finds none left, also aborts incomplete uploads and deletes
 * the bucket when the operator created it and nothing else is in it.
 */
public final class BucketDeletion {
  private static final Logger LOG = LoggerFactory.getLogger(BucketDeletion.class);

  /** S3's limit of keys per DeleteObjects. */
  public static final int MAX_PAGE = 1000;

  public enum Phase { DeletingObjects, Done, Failed }

  /** @param error why the step failed (phase Failed), else null */
  public record Progress(long objectsDeleted, Phase phase, BucketError error) {
    public boolean done() {
      return phase == Phase.Done;
    }
  }

  private final int pageSize;
  private final int pagesPerStep;

  public BucketDeletion(int pageSize, int pagesPerStep) {
    if (pageSize < 1 || pageSize > MAX_PAGE || pagesPerStep < 1) {
      throw new IllegalArgumentException("pageSize 1.." + MAX_PAGE + " and pagesPerStep >= 1");
    }
    this.pageSize = pageSize;
    this.pagesPerStep = pagesPerStep;
  }

  /**
   * @param deleteBucket the operator created the bucket: delete it once empty
   * @param deletedBefore objects deleted by earlier steps
   */
  public Progress step(BucketClient client, String bucket, String prefix, boolean deleteBucket, long deletedBefore) {
    long deleted = deletedBefore;
    try {
      // walks through the listing, deleting page by page; only a walk that finds nothing at all
      // ends the deletion (a short or empty page may still not be the last)
      String next = null;
      boolean found = false;
      for (int page = 0; page < pagesPerStep; page++) {
        BucketClient.Page listed = client.list(bucket, prefix, pageSize, next);
        client.delete(bucket, listed.keys());
        deleted += listed.keys().size();
        found |= !listed.keys().isEmpty();
        next = listed.next();
        if (next == null) {
          if (!found) {
            finish(client, bucket, prefix, deleteBucket);
            return new Progress(deleted, Phase.Done, null);
          }
          found = false;
        }
      }
      return new Progress(deleted, Phase.DeletingObjects, null);
    } catch (BucketException e) {
      if (e.error().kind() == BucketError.Kind.NO_SUCH_BUCKET) {
        return new Progress(deleted, Phase.Done, null);
      }
      return new Progress(deleted, Phase.Failed, e.error());
    }
  }

  /** True when nothing at all is in the bucket (every page of a listing is empty). */
  private static boolean empty(BucketClient client, String bucket) {
    String next = null;
    do {
      BucketClient.Page page = client.list(bucket, "", MAX_PAGE, next);
      if (!page.keys().isEmpty()) {
        return false;
      }
      next = page.next();
    } while (next != null);
    return true;
  }

  private static void finish(BucketClient client, String bucket, String prefix, boolean deleteBucket) {
    client.abortUploads(bucket, prefix);
    if (!deleteBucket) {
      return;
    }
    if (!empty(client, bucket)) {
      LOG.info("Bucket {} keeps objects outside the cache prefix '{}': it is not deleted", bucket, prefix);
      return;
    }
    try {
      client.deleteBucket(bucket);
      LOG.info("Deleted bucket {}", bucket);
    } catch (BucketException e) {
      if (e.error().kind() != BucketError.Kind.BUCKET_NOT_EMPTY) {
        throw e;
      }
      LOG.info("Bucket {} is not empty (written meanwhile, or incomplete uploads outside the prefix): it is kept", bucket);
    }
  }
}
