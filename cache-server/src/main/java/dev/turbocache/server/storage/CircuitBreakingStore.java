package dev.turbocache.server.storage;

import dev.turbocache.server.artifact.ArtifactKey;
import dev.turbocache.server.artifact.ArtifactMetadata;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.core.functions.CheckedSupplier;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wraps a tier that can fail (disk, Redis, S3) in two circuit breakers, one for reads (get,
 * head) and one for writes (put, delete): a tier that cannot write, such as a disk that filled
 * up, keeps serving what it holds. After {@code threshold} consecutive failures a breaker skips
 * its side of the tier, then lets one probe call through after {@code openDuration}; every probe
 * that fails doubles the wait up to {@code maxOpenDuration}. A dependency that comes back (a
 * Redis failover, S3 restarting) is therefore used again within seconds, while one that stays
 * down costs one call every few seconds instead of a timeout per request. Misses are successful
 * calls; a full file system ({@link StorageFullException}) is neither success nor failure: it
 * fails fast on its own and must not hide the tier's reads or delay noticing that space is back.
 */
public final class CircuitBreakingStore extends ForwardingArtifactStore {
  private static final Logger LOG = LoggerFactory.getLogger(CircuitBreakingStore.class);

  /** The two sides of a tier, each with its own breaker (the {@code op} label of the gauge). */
  public enum Side {
    READ,
    WRITE;

    String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final CircuitBreaker reads;
  private final CircuitBreaker writes;

  public CircuitBreakingStore(ArtifactStore delegate, int threshold, Duration openDuration,
      Duration maxOpenDuration, MeterRegistry registry) {
    this(delegate, threshold, openDuration, maxOpenDuration, registry, Clock.systemUTC());
  }

  /** @param clock when open periods end (tests pass one they move by hand) */
  CircuitBreakingStore(ArtifactStore delegate, int threshold, Duration openDuration,
      Duration maxOpenDuration, MeterRegistry registry, Clock clock) {
    super(delegate);
    CircuitBreakerConfig config = CircuitBreakerConfig.custom()
        .clock(clock)
        // "threshold failures out of the last threshold calls" is "threshold in a row".
        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
        .slidingWindowSize(threshold)
        .minimumNumberOfCalls(threshold)
        .failureRateThreshold(100f)
        // The attempt counter grows with each failed probe and resets when the breaker closes.
        .waitIntervalFunctionInOpenState(IntervalFunction.ofExponentialBackoff(
            openDuration, 2.0, maxOpenDuration))
        .permittedNumberOfCallsInHalfOpenState(1)
        .recordExceptions(IOException.class, RuntimeException.class)
        .ignoreExceptions(StorageFullException.class)
        .build();
    this.reads = breaker(Side.READ, config, threshold, openDuration, registry);
    this.writes = breaker(Side.WRITE, config, threshold, openDuration, registry);
  }

  private CircuitBreaker breaker(Side side, CircuitBreakerConfig config, int threshold,
      Duration openDuration, MeterRegistry registry) {
    CircuitBreaker breaker = CircuitBreaker.of(name() + "-" + side.tag(), config);
    breaker.getEventPublisher().onStateTransition(e -> {
      var t = e.getStateTransition();
      if (t.getFromState() == CircuitBreaker.State.CLOSED && t.getToState() == CircuitBreaker.State.OPEN) {
        LOG.warn("tier {}: {}s skipped after {} failures in a row; probing again in {}, then backing off",
            name(), side.tag(), threshold, openDuration);
      } else if (t.getToState() == CircuitBreaker.State.CLOSED) {
        LOG.info("tier {}: {}s work again", name(), side.tag());
      }
    });
    Gauge.builder("turbocache.tier.circuit.open", breaker, b -> isOpen(b.getState()) ? 1 : 0)
        .description("1 while the tier's circuit breaker for reads or writes skips it, else 0")
        .tag("tier", name())
        .tag("op", side.tag())
        .register(registry);
    return breaker;
  }

  private static boolean isOpen(CircuitBreaker.State state) {
    return state == CircuitBreaker.State.OPEN || state == CircuitBreaker.State.FORCED_OPEN;
  }

  /** True while calls on that side are skipped (the next call after the wait is a probe). */
  public boolean isOpen(Side side) {
    return isOpen((side == Side.READ ? reads : writes).getState());
  }

  private <T> T call(CircuitBreaker breaker, CheckedSupplier<T> operation) throws IOException {
    try {
      return breaker.executeCheckedSupplier(operation);
    } catch (CallNotPermittedException e) {
      throw new TierUnavailableException(name());
    } catch (IOException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IOException(e);
    }
  }

  @Override
  public Optional<Artifact> get(ArtifactKey key) throws IOException {
    return call(reads, () -> delegate().get(key));
  }

  /** An open breaker refuses at once, and a probe of a local tier waits no longer than a write. */
  @Override
  public boolean putsWithoutWaiting() {
    return delegate().putsWithoutWaiting();
  }

  @Override
  public boolean knowsMissesWithoutBlocking() {
    return delegate().knowsMissesWithoutBlocking();
  }

  /** Only while reads flow: an open or probing breaker decides in {@link #get}. */
  @Override
  public boolean absentWithoutBlocking(ArtifactKey key) {
    return reads.getState() == CircuitBreaker.State.CLOSED && delegate().absentWithoutBlocking(key);
  }

  @Override
  public Optional<ArtifactMetadata> head(ArtifactKey key) throws IOException {
    return call(reads, () -> delegate().head(key));
  }

  @Override
  public void put(ArtifactKey key, ArtifactMetadata metadata, ArtifactBody body) throws IOException {
    call(writes, () -> {
      delegate().put(key, metadata, body);
      return null;
    });
  }

  @Override
  public boolean delete(ArtifactKey key) throws IOException {
    return call(writes, () -> delegate().delete(key));
  }

  /** A probe through the read breaker, so an open breaker tests the tier again. */
  @Override
  public boolean readyForWrites() {
    return ArtifactStore.answersProbe(this);
  }

  // clear, stats, scan, teams and close go straight through: an operator clearing a tier wants
  // the real error, and the gauges and listings are not requests another tier could serve.
}
