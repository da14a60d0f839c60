package dev.turbocache.operator.redis;

import java.time.Duration;

/**
 * The operator's one Lettuce probe, made when the first managed Redis is checked (an operator
 * without one never starts Lettuce's threads) and closed when the JVM stops.
 */
public final class SharedRedisProbe {
  /** Per connect and per command: a pod that does not answer within it counts as unreachable. */
  static final Duration TIMEOUT = Duration.ofSeconds(2);
  private static volatile LettuceRedisProbe probe;

  private SharedRedisProbe() {}

  public static RedisProbe get() {
    LettuceRedisProbe p = probe;
    if (p == null) {
      synchronized (SharedRedisProbe.class) {
        p = probe;
        if (p == null) {
          p = new LettuceRedisProbe(TIMEOUT);
          LettuceRedisProbe created = p;
          Runtime.getRuntime().addShutdownHook(new Thread(created::close, "redis-probe-close"));
          probe = p;
        }
      }
    }
    return p;
  }
}
