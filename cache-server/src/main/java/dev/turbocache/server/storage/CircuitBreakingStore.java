package dev.turbocache.server.storage;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.functions.CheckedSupplier;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wraps a tier that can fail (disk, Redis, S3) in a circuit breaker: after {@code threshold}
 * consecutive failures the tier is skipped for {@code openDuration}, then one probe call decides
 * whether it is back. A down Redis then costs nothing per request instead of a timeout each.
 * Misses are successful calls; only exceptions count as failures.
 */
public final class CircuitBreakingStore implements ArtifactStore {
  private static final Logger LOG = LoggerFactory.getLogger(CircuitBreakingStore.class);

  private final ArtifactStore delegate;
  private final CircuitBreaker breaker;

  public CircuitBreakingStore(
      ArtifactStore delegate, int threshold, Duration openDuration, MeterRegistry registry) {
    this.delegate = delegate;
    this.breaker = CircuitBreaker.of(delegate.name(), CircuitBreakerConfig.custom()
        // "threshold failures out of the last threshold calls" is "threshold in a row".
        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
        .slidingWindowSize(threshold)
        .minimumNumberOfCalls(threshold)
        .failureRateThreshold(100f)
        .waitDurationInOpenState(openDuration)
        .permittedNumberOfCallsInHalfOpenState(1)
        .recordExceptions(IOException.class, RuntimeException.class)
        .build());
    breaker.getEventPublisher().onStateTransition(e -> {
      var t = e.getStateTransition();
      if (t.getToState() == CircuitBreaker.State.OPEN) {
        LOG.warn("tier {}: circuit breaker opened after {} failures in a row; skipping it for {}",
            delegate.name(), threshold, openDuration);
      } else if (t.getToState() == CircuitBreaker.State.CLOSED) {
        LOG.info("tier {}: circuit breaker closed, the tier is back", delegate.name());
      }
    });
    Gauge.builder("turbocache.tier.circuit.open", breaker, b -> isOpen(b.getState()) ? 1 : 0)
        .description("1 while the tier's circuit breaker skips it, else 0")
        .tag("tier", delegate.name())
        .register(registry);
  }

  private static boolean isOpen(CircuitBreaker.State state) {
    return state == CircuitBreaker.State.OPEN || state == CircuitBreaker.State.FORCED_OPEN;
  }

  /** True while calls are skipped (the next call after the open period is a probe). */
  public boolean isOpen() {
    return isOpen(breaker.getState());
  }

  public ArtifactStore delegate() {
    return delegate;
  }

  private <T> T call(CheckedSupplier<T> operation) throws IOException {
    try {
      return breaker.executeCheckedSupplier(operation);
    } catch (CallNotPermittedException e) {
      throw new TierUnavailableException(delegate.name());
    } catch (IOException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IOException(e);
    }
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
    return call(() -> delegate.get(key));
  }

  @Override
  public Optional<ArtifactMetadata> head(ArtifactKey key) throws IOException {
    return call(() -> delegate.head(key));
  }

  @Override
  public void put(ArtifactKey key, ArtifactMetadata metadata, ArtifactBody body) throws IOException {
    call(() -> {
      delegate.put(key, metadata, body);
      return null;
    });
  }

  @Override
  public boolean delete(ArtifactKey key) throws IOException {
    return call(() -> delegate.delete(key));
  }

  /** Admin operations go straight through: an operator clearing a tier wants the real error. */
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
  public void close() {
    delegate.close();
  }
}
