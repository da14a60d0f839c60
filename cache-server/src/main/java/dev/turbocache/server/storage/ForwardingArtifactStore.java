package dev.turbocache.server.storage;

import dev.turbocache.server.artifact.ArtifactKey;
import dev.turbocache.server.artifact.ArtifactMetadata;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A store that hands every call to the store it wraps: the base of the wrappers that each add one
 * concern to a tier (a circuit breaker, meters, write-back) and override only the calls that
 * concern changes. {@link #promote} is not forwarded: it comes back through this wrapper's own
 * {@link #put}, as the contract's default says. Nor are the checks for misses without blocking
 * ({@link #absentWithoutBlocking}): a wrapper answers them only when its concern keeps the tier's
 * answer true (a write-back queue may hold what its tier lacks).
 */
public abstract class ForwardingArtifactStore implements ArtifactStore {
  private final ArtifactStore delegate;

  protected ForwardingArtifactStore(ArtifactStore delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  /** The wrapped store. */
  public ArtifactStore delegate() {
    return delegate;
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
  public boolean storesUploads() {
    return delegate.storesUploads();
  }

  @Override
  public Optional<Artifact> get(ArtifactKey key) throws IOException {
    return delegate.get(key);
  }

  @Override
  public Optional<Artifact> getWithoutBlocking(ArtifactKey key) {
    return delegate.getWithoutBlocking(key);
  }

  @Override
  public Optional<ArtifactMetadata> head(ArtifactKey key) throws IOException {
    return delegate.head(key);
  }

  @Override
  public void put(ArtifactKey key, ArtifactMetadata metadata, ArtifactBody body) throws IOException {
    delegate.put(key, metadata, body);
  }

  @Override
  public boolean delete(ArtifactKey key) throws IOException {
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
  public void scan(ArtifactVisitor visitor) throws IOException {
    delegate.scan(visitor);
  }

  @Override
  public Set<String> teams() throws IOException {
    return delegate.teams();
  }

  @Override
  public boolean readyForWrites() {
    return delegate.readyForWrites();
  }

  @Override
  public boolean drain(Duration timeout) throws InterruptedException {
    return delegate.drain(timeout);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
