package dev.turbocache.operator.redis;

import dev.turbocache.operator.api.v1alpha1.TurboCache;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The operator's own gauges of each managed Redis (its /metrics): the masters it saw and the
 * sentinels that watch the master, per TurboCache. An alert on masters != 1 catches both a lost
 * master and a split brain.
 */
public final class RedisMetrics {
  public static final String MASTERS = "turbocache_operator_redis_masters";
  public static final String SENTINELS_READY = "turbocache_operator_redis_sentinels_ready";

  private final MeterRegistry registry;
  private final Map<String, AtomicInteger[]> gauges = new ConcurrentHashMap<>();

  /** @param registry null: record nothing */
  public RedisMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public void record(TurboCache cr, TopologyVerdict verdict) {
    if (registry == null || verdict == null) {
      return;
    }
    String key = cr.getMetadata().getNamespace() + "/" + cr.getMetadata().getName();
    AtomicInteger[] values = gauges.computeIfAbsent(key, k -> {
      Tags tags = Tags.of("namespace", cr.getMetadata().getNamespace(), "name", cr.getMetadata().getName());
      AtomicInteger masters = new AtomicInteger();
      AtomicInteger sentinels = new AtomicInteger();
      Gauge.builder(MASTERS, masters, AtomicInteger::get).tags(tags)
          .description("Redis pods of the TurboCache's operator-managed Redis that report being the master").register(registry);
      Gauge.builder(SENTINELS_READY, sentinels, AtomicInteger::get).tags(tags)
          .description("Sentinels of the TurboCache that answer, are not in TILT mode and watch the master").register(registry);
      return new AtomicInteger[] {masters, sentinels};
    });
    values[0].set(verdict.masters());
    values[1].set(verdict.sentinelsReady());
  }
}
