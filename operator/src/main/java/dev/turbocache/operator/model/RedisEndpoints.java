package dev.turbocache.operator.model;

import dev.turbocache.operator.api.v1alpha1.TurboCache;

/** Where the operator-managed Redis listens: its ports and the URI the cache servers connect to. */
public final class RedisEndpoints {
  public static final int REDIS_PORT = 6379;
  public static final int SENTINEL_PORT = 26379;

  private RedisEndpoints() {}

  /**
   * Sentinel mode: the ClusterIP Service over the ready sentinels, which name the master (clients
   * handed a list of sentinel pods loop on dead ones). Standalone: the Redis Service.
   */
  public static String clientUri(TurboCache cr, boolean sentinel) {
    if (sentinel) {
      return "redis-sentinel://" + Names.serviceHost(cr, Names.sentinel(cr)) + ":" + SENTINEL_PORT
          + "/0?sentinelMasterId=" + Names.redisMaster(cr);
    }
    return "redis://" + Names.serviceHost(cr, Names.redis(cr)) + ":" + REDIS_PORT + "/0";
  }
}
