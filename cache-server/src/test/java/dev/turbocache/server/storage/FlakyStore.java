package dev.turbocache.server.storage;

import dev.turbocache.server.artifact.ArtifactKey;
import dev.turbocache.server.artifact.ArtifactMetadata;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tier that fails on demand, to check that tier failures are contained and counted. Every call
 * that reads or writes through this tier must pass the injected failures: the ones {@link
 * ForwardingArtifactStore} would hand straight to the wrapped store (the answers without
 * blocking, the readiness probe, the team listing) are overridden here so they cannot bypass them.
 */
public final class FlakyStore extends ForwardingArtifactStore {
  volatile boolean failReads;
  volatile boolean failWrites;
  /** Writes fail as on a full file system. */
  volatile boolean writesFull;
  /** Deletes fail once this many have succeeded (negative: never). */
  private volatile int deletesBeforeFailing = -1;
  /** Calls that reached this store (a circuit breaker in front should stop them). */
  final AtomicInteger calls = new AtomicInteger();

  public FlakyStore(ArtifactStore delegate) {
    super(delegate);
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
    super.scan(visitor);
  }

  /** One read, as the contract's default (a scan) would be. */
  @Override
  public Set<String> teams() throws IOException {
    check(failReads);
    return super.teams();
  }

  @Override
  public Optional<Artifact> get(ArtifactKey key) throws IOException {
    check(failReads);
    return super.get(key);
  }

  /** A tier failing reads serves no hit here: the caller goes on to {@link #get}, which fails. */
  @Override
  public Optional<Artifact> getWithoutBlocking(ArtifactKey key) {
    return failReads ? Optional.empty() : super.getWithoutBlocking(key);
  }

  @Override
  public Optional<ArtifactMetadata> head(ArtifactKey key) throws IOException {
    check(failReads);
    return super.head(key);
  }

  @Override
  public boolean knowsMissesWithoutBlocking() {
    return delegate().knowsMissesWithoutBlocking();
  }

  /** A tier failing reads leaves its misses to {@link #get}, which fails. */
  @Override
  public boolean absentWithoutBlocking(ArtifactKey key) {
    return !failReads && delegate().absentWithoutBlocking(key);
  }

  /** The probe goes through this tier's {@link #head}, so injected read failures count. */
  @Override
  public boolean readyForWrites() {
    return ArtifactStore.answersProbe(this);
  }

  @Override
  public void put(ArtifactKey key, ArtifactMetadata metadata, ArtifactBody body)
      throws IOException {
    check(failWrites);
    if (writesFull) {
      throw new StorageFullException("test tier", new IOException("No space left on device"));
    }
    super.put(key, metadata, body);
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
    return super.delete(key);
  }
}
