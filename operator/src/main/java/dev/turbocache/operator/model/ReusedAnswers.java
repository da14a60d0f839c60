package dev.turbocache.operator.model;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Answers to a question about a cluster (is this CRD installed, what does it declare), each reused
 * for a fixed time so that the reconciles of many TurboCaches ask the API server once per period,
 * not once each. Asking happens under the key's lock: concurrent reconciles wait for one answer
 * instead of asking together.
 */
public final class ReusedAnswers<K, V> {
  /** Told when a fresh answer differs from the one before it ({@code before} is null at first). */
  @FunctionalInterface
  public interface Change<K, V> {
    void changed(K key, V before, V now);
  }

  private record Answer<V>(V value, Instant at) {}

  private final Clock clock;
  private final Duration ttl;
  private final Change<K, V> onChange;
  private final Map<K, Answer<V>> answers = new ConcurrentHashMap<>();

  public ReusedAnswers(Clock clock, Duration ttl, Change<K, V> onChange) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ttl = Objects.requireNonNull(ttl, "ttl");
    this.onChange = Objects.requireNonNull(onChange, "onChange");
  }

  /** The answer for {@code key}, asked again once the last one is older than the TTL. */
  public V get(K key, Supplier<V> ask) {
    Instant now = clock.instant();
    return answers.compute(key, (k, old) -> {
      if (old != null && old.at().plus(ttl).isAfter(now)) {
        return old;
      }
      V fresh = ask.get();
      if (old == null || !old.value().equals(fresh)) {
        onChange.changed(k, old == null ? null : old.value(), fresh);
      }
      return new Answer<>(fresh, now);
    }).value();
  }
}
