package dev.turbocache.server.storage.writeback;

import dev.turbocache.server.artifact.ArtifactKey;
import dev.turbocache.server.artifact.ArtifactMetadata;
import dev.turbocache.server.storage.Artifact;
import dev.turbocache.server.storage.ArtifactBody;
import dev.turbocache.server.storage.ArtifactStore;
import dev.turbocache.server.storage.ForwardingArtifactStore;
import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable tier under {@code storage.writePolicy: write-back}: an upload is acknowledged once
 * the {@link WriteBackQueue} holds it on local disk, and the queue writes it into the tier in the
 * background. Until then its reads are served from the queue. A queue that cannot take an upload
 * (it is full, or its disk is) means writing it through: the tier may well be able to take it.
 */
public final class WriteBackStore extends ForwardingArtifactStore {
  private static final Logger LOG = LoggerFactory.getLogger(WriteBackStore.class);

  private final WriteBackQueue queue;

  /** Starts the queue's uploads into {@code durable}, resuming what a previous run left queued. */
  public WriteBackStore(ArtifactStore durable, WriteBackQueue queue) throws IOException {
    super(durable);
    this.queue = queue;
    queue.start(durable::put);
  }

  @Override
  public Optional<Artifact> get(ArtifactKey key) throws IOException {
    Optional<Artifact> queued = queued(key);
    return queued.isPresent() ? queued : delegate().get(key);
  }

  /** A queue read error just means "ask the tier". */
  private Optional<Artifact> queued(ArtifactKey key) {
    try {
      return queue.get(key);
    } catch (IOException | RuntimeException e) {
      LOG.warn("write-back queue: reading {} failed: {}", key, e.toString());
      return Optional.empty();
    }
  }

  /** Never: the queue may hold a newer version than the tier. */
  @Override
  public Optional<Artifact> getWithoutBlocking(ArtifactKey key) {
    return Optional.empty();
  }

  @Override
  public Optional<ArtifactMetadata> head(ArtifactKey key) throws IOException {
    Optional<ArtifactMetadata> queued = queue.head(key);
    return queued.isPresent() ? queued : delegate().head(key);
  }

  @Override
  public void put(ArtifactKey key, ArtifactMetadata metadata, ArtifactBody body) throws IOException {
    if (offer(key, metadata, body)) {
      return;
    }
    // Written through: a stale queued version must not be uploaded over it later.
    queue.discard(key);
    delegate().put(key, metadata, body);
  }

  private boolean offer(ArtifactKey key, ArtifactMetadata metadata, ArtifactBody body) {
    try {
      return queue.offer(key, metadata, body);
    } catch (IOException e) {
      LOG.warn("write-back queue could not take {}, writing it through: {}", key, e.toString());
      queue.countFallback();
      return false;
    }
  }

  @Override
  public boolean delete(ArtifactKey key) throws IOException {
    boolean discarded = queue.discard(key);
    return delegate().delete(key) || discarded;
  }

  @Override
  public void clear() throws IOException {
    queue.clear();
    delegate().clear();
  }

  /** Queued artifacts first: a key that is also in the tier is queued in a newer version. */
  @Override
  public void scan(ArtifactVisitor visitor) throws IOException {
    Set<ArtifactKey> queued = new HashSet<>();
    queue.scan((key, metadata) -> {
      queued.add(key);
      visitor.visit(key, metadata);
    });
    delegate().scan((key, metadata) -> {
      if (!queued.contains(key)) {
        visitor.visit(key, metadata);
      }
    });
  }

  /** Room in the queue is enough: an upload is acknowledged once it is queued. */
  @Override
  public boolean readyForWrites() {
    return queue.hasRoomFor(0) || delegate().readyForWrites();
  }

  @Override
  public boolean drain(Duration timeout) throws InterruptedException {
    return queue.drain(timeout);
  }

  @Override
  public void close() {
    queue.close();
    delegate().close();
  }
}
