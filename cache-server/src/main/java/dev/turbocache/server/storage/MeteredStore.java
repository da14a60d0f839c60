package dev.turbocache.server.storage;

import dev.turbocache.server.artifact.ArtifactKey;
import dev.turbocache.server.artifact.ArtifactMetadata;
import dev.turbocache.server.storage.TierMetrics.Lookup;
import dev.turbocache.server.storage.TierMetrics.Op;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.util.Optional;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One tier as the metrics and the log see it: every call is timed, lookups are counted by result,
 * the bytes of hits and writes are added up, and every failure is counted and logged in one line
 * (the stack trace only at debug, so a flapping tier stays readable). Failures are passed on
 * unchanged; what they mean for a request is the {@link TieredStore}'s business. A full file
 * system is shown by a gauge rather than a warning per upload, and a call an open circuit breaker
 * skipped is counted as {@code skipped}, not as a failure.
 */
public final class MeteredStore extends ForwardingArtifactStore {
  private static final Logger LOG = LoggerFactory.getLogger(MeteredStore.class);

  private final TierMetrics metrics;

  public MeteredStore(ArtifactStore tier, MeterRegistry registry) {
    super(tier);
    this.metrics = new TierMetrics(tier, registry);
  }

  /** Lookups and failures counted since start, for the admin API. */
  public TierCounts counts() {
    return metrics.counts();
  }

  @Override
  public Optional<Artifact> get(ArtifactKey key) throws IOException {
    return lookup(Op.GET, key, () -> delegate().get(key), hit -> hit.metadata().size());
  }

  /** Counts a hit only: after a miss the caller goes on to {@link #get}, which counts it. */
  @Override
  public Optional<Artifact> getWithoutBlocking(ArtifactKey key) {
    long start = System.nanoTime();
    Optional<Artifact> hit = delegate().getWithoutBlocking(key);
    if (hit.isPresent()) {
      metrics.lookup(Lookup.HIT);
      metrics.read(hit.get().metadata().size());
      metrics.timeSince(Op.GET, start);
    }
    return hit;
  }

  @Override
  public boolean putsWithoutWaiting() {
    return delegate().putsWithoutWaiting();
  }

  @Override
  public boolean knowsMissesWithoutBlocking() {
    return delegate().knowsMissesWithoutBlocking();
  }

  /** Counts a miss, the lookup {@link #get} would have counted. */
  @Override
  public boolean absentWithoutBlocking(ArtifactKey key) {
    long start = System.nanoTime();
    boolean absent = delegate().absentWithoutBlocking(key);
    if (absent) {
      metrics.lookup(Lookup.MISS);
      metrics.timeSince(Op.GET, start);
    }
    return absent;
  }

  @Override
  public Optional<ArtifactMetadata> head(ArtifactKey key) throws IOException {
    return lookup(Op.HEAD, key, () -> delegate().head(key), hit -> 0L);
  }

  @FunctionalInterface
  private interface Call<T> {
    Optional<T> run() throws IOException;
  }

  /** One lookup, counted by result; a hit adds {@code bytesRead} of it to the bytes served. */
  private <T> Optional<T> lookup(Op op, ArtifactKey key, Call<T> call, ToLongFunction<T> bytesRead)
      throws IOException {
    long start = System.nanoTime();
    try {
      Optional<T> hit = call.run();
      if (hit.isPresent()) {
        metrics.lookup(Lookup.HIT);
        metrics.read(bytesRead.applyAsLong(hit.get()));
      } else {
        metrics.lookup(Lookup.MISS);
      }
      return hit;
    } catch (TierUnavailableException e) {
      metrics.lookup(Lookup.SKIPPED);
      throw e;
    } catch (IOException | RuntimeException e) {
      metrics.lookup(Lookup.ERROR);
      failed(op, key, e);
      throw e;
    } finally {
      metrics.timeSince(op, start);
    }
  }

  @Override
  public void put(ArtifactKey key, ArtifactMetadata metadata, ArtifactBody body) throws IOException {
    long start = System.nanoTime();
    try {
      delegate().put(key, metadata, body);
      metrics.written(body.size());
      metrics.full(false);
    } catch (TierUnavailableException e) {
      throw e;
    } catch (StorageFullException e) {
      // Every write fails this way until space returns; the gauge says so, not a warning each.
      metrics.failed(Op.PUT);
      metrics.full(true);
      throw e;
    } catch (IOException | RuntimeException e) {
      failed(Op.PUT, key, e);
      throw e;
    } finally {
      metrics.timeSince(Op.PUT, start);
    }
  }

  @Override
  public void promote(ArtifactKey key, Artifact artifact) throws IOException {
    put(key, artifact.metadata(), artifact.body());
    metrics.promoted();
  }

  @Override
  public boolean delete(ArtifactKey key) throws IOException {
    long start = System.nanoTime();
    try {
      return delegate().delete(key);
    } catch (IOException | RuntimeException e) {
      failed(Op.DELETE, key, e);
      throw e;
    } finally {
      metrics.timeSince(Op.DELETE, start);
    }
  }

  @Override
  public void clear() throws IOException {
    try {
      delegate().clear();
    } catch (IOException | RuntimeException e) {
      metrics.failed(Op.CLEAR);
      LOG.warn("tier {}: clear failed: {}", name(), e.toString());
      throw e;
    }
  }

  private void failed(Op op, ArtifactKey key, Exception e) {
    metrics.failed(op);
    LOG.warn("tier {}: {} {} failed: {}", name(), op.tag(), key, e.toString());
    LOG.debug("tier {}: {} {} failure detail", name(), op.tag(), key, e);
  }
}
