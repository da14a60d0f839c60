package dev.turbocache.operator.redis;

import java.util.List;

/**
 * The operator's connection to a Redis set: reads its topology (never changing anything) and, only
 * when the decision says so, applies a heal action. Behind an interface so the decision logic is
 * tested without Redis and the contract test can point it at loopback addresses.
 */
public interface RedisProbe {

  /**
   * A pod to probe.
   *
   * @param host the host name it announces (what replicas and sentinels report for it)
   * @param address where the operator connects to it (its IP in a cluster); null when it is not
   *     running, so it is not asked
   * @param outdated it runs an older revision of its StatefulSet
   * @param restartRequired it runs with an outdated password
   */
  record Target(String pod, int ordinal, String host, String address, int port, boolean outdated, boolean restartRequired) {}

  /**
   * @param masterName the sentinels' name of the master
   * @param password the Redis and sentinel password
   */
  RedisTopology observe(List<Target> redis, List<Target> sentinels, String masterName, String password);

  /**
   * Applies a Redis or sentinel action ({@link HealAction.DeletePod} is the caller's).
   *
   * @param target the pod the action names
   * @param sentinelSettings what a newly monitoring sentinel is told (quorum, timings)
   */
  void apply(HealAction action, Target target, String masterName, String password, SentinelSettings sentinelSettings);

  /** The settings of a monitored master, as {@code sentinel-start.sh} writes them too. */
  record SentinelSettings(int quorum, long downAfterMillis, long failoverTimeoutMillis) {}
}
