package dev.turbocache.operator.redis;

import java.util.List;
import java.util.Optional;

/**
 * What the operator saw of an operator-managed Redis in one check, read-only: per Redis pod its
 * {@code INFO replication}, per sentinel its {@code SENTINEL MASTER} and {@code INFO sentinel}.
 * Hosts are as the pods announce themselves (their stable DNS names), so they compare with the
 * master addresses that replicas and sentinels report.
 */
public record RedisTopology(List<RedisNode> redis, List<SentinelNode> sentinels) {

  public enum Role {
    MASTER,
    REPLICA,
    /** Started as a replica of the placeholder address: waiting for a master to be chosen. */
    REPLICA_OF_NOTHING,
    /** Did not answer. */
    UNREACHABLE
  }

  /**
   * One Redis pod.
   *
   * @param ordinal the pod's ordinal in its StatefulSet (ties between candidates go to the lowest)
   * @param linkUp a replica's link to its master is up and its initial sync is done
   * @param orphanedSeconds how long a replica has been without a working master link (its link's down
   *     time, or its uptime when it never had one); 0 for a master or a linked replica
   * @param offset the replication offset: how much of the data stream it holds
   * @param keys the number of keys
   * @param outdated the pod runs an older revision of the StatefulSet than the current one
   * @param restartRequired the pod's password is outdated: it cannot join the others until it restarts
   */
  public record RedisNode(
      String pod,
      int ordinal,
      String host,
      Role role,
      String masterHost,
      int masterPort,
      boolean linkUp,
      boolean syncing,
      long orphanedSeconds,
      long offset,
      long keys,
      boolean outdated,
      boolean restartRequired) {

    public boolean reachable() {
      return role != Role.UNREACHABLE;
    }
  }

  /**
   * One sentinel.
   *
   * @param monitored the master it monitors under the TurboCache's master name; null when it monitors none
   */
  public record SentinelNode(String pod, String host, boolean reachable, boolean tilt, MonitoredMaster monitored) {}

  /**
   * A sentinel's view of the master.
   *
   * @param failoverInProgress a failover is running (or the master is objectively down and one is due)
   * @param knownReplicas replicas it has in its tables
   * @param otherSentinels other sentinels it has in its tables
   */
  public record MonitoredMaster(String host, int port, boolean down, boolean failoverInProgress, int knownReplicas,
      int otherSentinels) {}

  public List<RedisNode> masters() {
    return redis.stream().filter(n -> n.role() == Role.MASTER).toList();
  }

  public Optional<RedisNode> byHost(String host) {
    return redis.stream().filter(n -> n.host().equals(host)).findFirst();
  }
}
