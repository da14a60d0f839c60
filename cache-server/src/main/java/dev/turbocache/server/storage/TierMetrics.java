package dev.turbocache.server.storage;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToDoubleFunction;

/**
 * The meters of one tier, registered up front so every series exists (at zero) from the first
 * scrape; dashboards and alerts then need no "absent" special cases.
 */
final class TierMetrics {

  enum Lookup {
    HIT,
    MISS,
    ERROR,
    /** Not asked: the tier's circuit breaker is open. */
    SKIPPED
  }

  enum Op {
    GET,
    HEAD,
    PUT,
    DELETE,
    CLEAR;

    String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Map<Lookup, Counter> lookups = new EnumMap<>(Lookup.class);
  private final Map<Op, Timer> latency = new EnumMap<>(Op.class);
  private final Map<Op, Counter> errors = new EnumMap<>(Op.class);
  private final Counter bytesRead;
  private final Counter bytesWritten;
  private final Counter promotions;
  private final AtomicInteger full = new AtomicInteger();

  TierMetrics(ArtifactStore tier, MeterRegistry registry) {
    String name = tier.name();
    for (Lookup result : Lookup.values()) {
      lookups.put(
          result,
          Counter.builder("turbocache.tier.lookups")
              .description("Lookups (get and head) against a tier, by result")
              .tags("tier", name, "result", result.name().toLowerCase(Locale.ROOT))
              .register(registry));
    }
    for (Op op : Op.values()) {
      if (op != Op.CLEAR) {
        latency.put(
            op,
            Timer.builder("turbocache.tier.latency")
                .description("Time spent in one tier operation, failures included")
                .tags("tier", name, "op", op.tag())
                .publishPercentileHistogram()
                .register(registry));
      }
      errors.put(
          op,
          Counter.builder("turbocache.tier.errors")
              .description("Tier operations that failed")
              .tags("tier", name, "op", op.tag())
              .register(registry));
    }
    bytesRead =
        Counter.builder("turbocache.tier.bytes.read")
            .description("Body bytes of hits served by a tier")
            .baseUnit("bytes")
            .tag("tier", name)
            .register(registry);
    bytesWritten =
        Counter.builder("turbocache.tier.bytes.written")
            .description("Body bytes written into a tier, promotions included")
            .baseUnit("bytes")
            .tag("tier", name)
            .register(registry);
    promotions =
        Counter.builder("turbocache.tier.promotions")
            .description("Artifacts copied into this tier after a hit in a lower tier")
            .tag("tier", name)
            .register(registry);
    Gauge.builder("turbocache.tier.storage.full", full, AtomicInteger::get)
        .description("1 while writes to the tier fail because its file system is full, else 0")
        .tag("tier", name)
        .register(registry);
    gauge(registry, "turbocache.tier.entries", "Artifacts a tier holds (NaN when it cannot count them cheaply)",
        tier, s -> known(s.stats().entries()), null);
    gauge(registry, "turbocache.tier.size.bytes", "Body bytes a tier holds (NaN when it cannot count them cheaply)",
        tier, s -> known(s.stats().bytes()), "bytes");
  }

  /** Remote tiers may not know their size cheaply ({@link StoreStats#UNKNOWN}); show a gap, not 0. */
  private static double known(long value) {
    return value < 0 ? Double.NaN : value;
  }

  private static void gauge(
      MeterRegistry registry,
      String name,
      String description,
      ArtifactStore tier,
      ToDoubleFunction<ArtifactStore> value,
      String unit) {
    Gauge.builder(name, tier, safely(value))
        .description(description)
        .tag("tier", tier.name())
        .baseUnit(unit)
        .register(registry);
  }

  /** A remote tier's stats can fail; a scrape must not. */
  private static ToDoubleFunction<ArtifactStore> safely(ToDoubleFunction<ArtifactStore> value) {
    return store -> {
      try {
        return value.applyAsDouble(store);
      } catch (RuntimeException e) {
        return Double.NaN;
      }
    };
  }

  TierCounts counts() {
    long errorCount = 0;
    for (Counter c : errors.values()) {
      errorCount += (long) c.count();
    }
    return new TierCounts(
        (long) lookups.get(Lookup.HIT).count(), (long) lookups.get(Lookup.MISS).count(), errorCount);
  }

  void lookup(Lookup result) {
    lookups.get(result).increment();
  }

  void timeSince(Op op, long startNanos) {
    Timer timer = latency.get(op);
    if (timer != null) {
      timer.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }
  }

  void failed(Op op) {
    errors.get(op).increment();
  }

  void read(long bytes) {
    bytesRead.increment(bytes);
  }

  void written(long bytes) {
    bytesWritten.increment(bytes);
  }

  void promoted() {
    promotions.increment();
  }

  /** Whether the tier's last write failed for lack of space (cleared by the next success). */
  void full(boolean isFull) {
    full.set(isFull ? 1 : 0);
  }
}
