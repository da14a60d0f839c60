package dev.turbocache.operator.bucket;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real {@link BucketClient} that also records which sections were written, so a test can tell
 * "nothing was written" from the S3 side of the interface, not from what the caller reports.
 */
final class CountingBucketClient implements BucketClient {
  private final BucketClient delegate;
  final List<BucketSection> writes = new CopyOnWriteArrayList<>();

  CountingBucketClient(BucketClient delegate) {
    this.delegate = delegate;
  }

  @Override
  public boolean exists(String bucket) {
    return delegate.exists(bucket);
  }

  @Override
  public boolean create(String bucket, String region) {
    return delegate.create(bucket, region);
  }

  @Override
  public SectionState read(String bucket, BucketSection section) {
    return delegate.read(bucket, section);
  }

  @Override
  public void write(String bucket, SectionValue value) {
    writes.add(value.section());
    delegate.write(bucket, value);
  }

  @Override
  public Page list(String bucket, String prefix, int max, String continuation) {
    return delegate.list(bucket, prefix, max, continuation);
  }

  @Override
  public void delete(String bucket, List<String> keys) {
    delegate.delete(bucket, keys);
  }

  @Override
  public int abortUploads(String bucket, String prefix) {
    return delegate.abortUploads(bucket, prefix);
  }

  @Override
  public void deleteBucket(String bucket) {
    delegate.deleteBucket(bucket);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
