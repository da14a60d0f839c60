package dev.turbocache.operator.redis;

import dev.turbocache.operator.model.Durations;
import dev.turbocache.operator.model.ResolvedSpec;
import java.time.Duration;

/**
 * The clocks of a Sentinel set, all derived from {@code sentinel.downAfter}: how long the master may
 * be unreachable before a sentinel calls it down, how long a failover may take, how long a restarted
 * master stays away so the sentinels can hand its role to a replica, and how long pods may wait for a
 * master before the operator concludes the sentinels cannot choose one.
 */
public record RedisTimings(Duration downAfter, Duration failoverTimeout, Duration masterHandoverWait, Duration stuckAfter) {

  public static RedisTimings of(ResolvedSpec.ManagedRedis redis) {
    Duration downAfter = Durations.parse(redis.downAfter());
    Duration failoverTimeout = downAfter.multipliedBy(6);
    // A sentinel retries an aborted failover after twice the failover timeout.
    Duration handover = downAfter.multipliedBy(2).plus(failoverTimeout);
    Duration stuck = downAfter.multipliedBy(2).plus(failoverTimeout.multipliedBy(2));
    return new RedisTimings(downAfter, failoverTimeout, handover, stuck);
  }
}
