package dev.turbocache.server.storage;

import dev.turbocache.server.artifact.ArtifactKey;
import dev.turbocache.server.artifact.ArtifactMetadata;
import java.io.IOException;
import java.util.Optional;

/** A tier that fails on demand, to check that tier failures are contained and counted. */
public final class FlakyStore implements ArtifactStore {
  private final ArtifactStore delegate;
  volatile boolean failReads;
  volatile boolean failWrites;
  /** Writes fail as on a full file system. */
  volatile boolean writesFull;
  /** Deletes fail once this many have succeeded (negative: never). */
  private volatile int deletesBeforeFailing = -1;
  /** Calls that reached this store (a circuit breaker in front should stop them). */
  final java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();

  public FlakyStore(ArtifactStore delegate) {
    this.delegate = delegate;
  }

  ArtifactStore delegate() {
    return delegate;
  }

  private void check(boolean fail) throws IOException {
    calls.incrementAndGet();
    if (fail) {
      throw new IOException("injected failure");
    }
  }

  @Override
  public void scan(ArtifactVisitor visitor) throws IOException {
    check(failReads);
    delegate.scan(visitor);
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public boolean admits(long size) {
    return delegate.admits(size);
  }

  @Override
  public Optional<Artifact> get(ArtifactKey key) throws IOException {
    check(failReads);
    return delegate.get(key);
  }

  @Override
  public Optional<ArtifactMetadata> head(ArtifactKey key) throws IOException {
    check(failReads);
    return delegate.head(key);
  }

  @Override
  public boolean knowsMissesWithoutBlocking() {
    return delegate.knowsMissesWithoutBlocking();
  }

  /** A tier failing reads leaves its misses to {@link #get}, which fails. */
  @Override
  public boolean absentWithoutBlocking(ArtifactKey key) {
    return !failReads && delegate.absentWithoutBlocking(key);
  }

  @Override
  public void put(ArtifactKey key, ArtifactMetadata metadata, ArtifactBody body)
      throws IOException {
    check(failWrites);
    if (writesFull) {
      throw new StorageFullException("test tier", new IOException("No space left on device"));
    }
    delegate.put(key, metadata, body);
  }

  /** Lets {@code n} more deletes through, then fails every one after them. */
  public void failDeletesAfter(int n) {
    deletesBeforeFailing = n;
  }

  @Override
  public boolean delete(ArtifactKey key) throws IOException {
    if (deletesBeforeFailing == 0) {
      throw new IOException("injected delete failure");
    }
    if (deletesBeforeFailing > 0) {
      deletesBeforeFailing--;
    }
    return delegate.delete(key);
  }

  @Override
  public void clear() throws IOException {
    delegate.clear();
  }

  @Override
  public StoreStats stats() {
    return delegate.stats();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
