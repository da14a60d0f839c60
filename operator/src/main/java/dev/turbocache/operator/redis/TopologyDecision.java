package dev.turbocache.operator.redis;

import dev.turbocache.operator.redis.RedisTopology.MonitoredMaster;
import dev.turbocache.operator.redis.RedisTopology.RedisNode;
import dev.turbocache.operator.redis.RedisTopology.Role;
import dev.turbocache.operator.redis.RedisTopology.SentinelNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Decides, from one read-only observation, whether the Redis set needs the operator and what it
 * does. A pure function: every case (no master, one, two; TILT; a failover under way; a sentinel
 * with a stale view; counts that do not match; a replica still syncing; a rolling update) is a unit
 * test.
 *
 * <p>Who chooses the master: the sentinels, as soon as any of them knows one. The operator chooses
 * only when no sentinel monitors a master at all (the first start, or every sentinel lost its state)
 * - then no sentinel can fail over at the same time, so the two never race - or when the sentinels
 * have had their chance and cannot (no pod is a master and no replica has had a working link for
 * {@code stuckAfterSeconds}, the state where Sentinel aborts with no good replica forever). It then
 * promotes the pod with the most data (replication offset, then keys, then the lowest ordinal), so an
 * empty pod is never chosen over one that has data. With two masters it acts only when the sentinels
 * agree on the fuller one, and otherwise reports without guessing. Nothing is changed while a sentinel
 * is in TILT mode or a failover is running.
 */
public final class TopologyDecision {
  private TopologyDecision() {}

  /**
   * @param sentinelMode false: Standalone, one Redis pod and no sentinels
   * @param port the Redis port every pod listens on
   * @param stuckAfterSeconds how long a pod may wait for a master before the operator steps in
   */
  public record Expectations(boolean sentinelMode, int redisReplicas, int sentinels, int quorum, int port,
      long stuckAfterSeconds) {}

  public static TopologyVerdict decide(RedisTopology t, Expectations e) {
    return e.sentinelMode() ? sentinel(t, e) : standalone(t);
  }

  private static TopologyVerdict standalone(RedisTopology t) {
    List<RedisNode> masters = t.masters();
    int replicas = t.redis().size();
    if (masters.size() == 1) {
      return new TopologyVerdict(true, "Standalone", "Redis " + masters.get(0).pod() + " serves as the master",
          masters.get(0).pod(), 1, 0, 0, 0, 0, false, List.of());
    }
    return new TopologyVerdict(false, "WaitingForRedis", "Redis pod " + podList(t.redis()) + " does not answer yet",
        null, masters.size(), 0, Math.max(0, replicas - 1), 0, 0, false, List.of());
  }

  private static TopologyVerdict sentinel(RedisTopology t, Expectations e) {
    Stats stats = Stats.of(t, e);
    List<SentinelNode> reachableSentinels = t.sentinels().stream().filter(SentinelNode::reachable).toList();
    List<RedisNode> reachableRedis = t.redis().stream().filter(RedisNode::reachable).toList();
    if (reachableRedis.isEmpty() && reachableSentinels.isEmpty()) {
      return stats.verdict(false, "WaitingForPods", "none of the " + e.redisReplicas() + " Redis pods and "
          + e.sentinels() + " sentinels answers yet", List.of());
    }
    List<String> tilted = reachableSentinels.stream().filter(SentinelNode::tilt).map(SentinelNode::pod).toList();
    if (!tilted.isEmpty()) {
      return stats.verdict(false, "SentinelTilt", "sentinel " + String.join(", ", tilted)
          + " is in TILT mode (its clock or the machine stalled); the operator changes nothing until it leaves it",
          List.of());
    }
    List<String> failingOver = reachableSentinels.stream()
        .filter(s -> s.monitored() != null && s.monitored().failoverInProgress()).map(SentinelNode::pod).toList();
    if (!failingOver.isEmpty()) {
      return stats.verdict(false, "FailoverInProgress", "sentinel " + String.join(", ", failingOver)
          + " is failing over from " + t.sentinels().stream().filter(s -> failingOver.contains(s.pod())).findFirst()
              .map(s -> s.monitored().host()).orElse("?") + "; the operator waits for it", List.of());
    }
    Optional<String> agreed = agreedMaster(reachableSentinels, e.quorum());
    List<RedisNode> masters = t.masters();
    if (masters.size() > 1) {
      return splitBrain(stats, masters, agreed, e.port());
    }
    if (masters.isEmpty()) {
      return noMaster(t, e, stats, reachableSentinels, reachableRedis);
    }
    return oneMaster(t, e, stats, masters.get(0), reachableSentinels, agreed);
  }

  private static TopologyVerdict splitBrain(Stats stats, List<RedisNode> masters, Optional<String> agreed, int port) {
    String described = masters.stream().map(m -> m.pod() + " (" + m.keys() + " keys)").collect(Collectors.joining(", "));
    Optional<RedisNode> chosen = agreed.flatMap(a -> masters.stream().filter(m -> address(m.host(), port).equals(a)).findFirst());
    long most = masters.stream().mapToLong(RedisNode::keys).max().orElse(0);
    if (chosen.isPresent() && chosen.get().keys() > 0 && chosen.get().keys() >= most) {
      RedisNode keep = chosen.get();
      List<HealAction> actions = masters.stream().filter(m -> m != keep)
          .map(m -> (HealAction) new HealAction.ReplicaOf(m.pod(), keep.host(), port,
              "two masters: the sentinels agree on " + keep.pod() + ", which holds the most keys"))
          .toList();
      return stats.verdict(false, "TwoMasters", "more than one master: " + described + "; the sentinels agree on "
          + keep.pod() + ", so the others become its replicas", actions);
    }
    return stats.verdict(false, "TwoMasters", "more than one master: " + described
        + (chosen.isPresent() ? "; the sentinels agree on " + chosen.get().pod() + ", which holds fewer keys than another"
            : "; the sentinels agree on none of them")
        + ": the operator does not choose between them. Keep the one with the data and run"
        + " REPLICAOF <its host> 6379 on the others", List.of());
  }

  private static TopologyVerdict noMaster(RedisTopology t, Expectations e, Stats stats,
      List<SentinelNode> reachableSentinels, List<RedisNode> reachableRedis) {
    boolean waitedEnough = !reachableRedis.isEmpty()
        && reachableRedis.stream().allMatch(r -> r.role() != Role.MASTER && !r.linkUp() && r.orphanedSeconds() >= e.stuckAfterSeconds());
    boolean allRedis = reachableRedis.size() == t.redis().size();
    boolean allSentinels = reachableSentinels.size() == t.sentinels().size();
    boolean anyMonitors = reachableSentinels.stream().anyMatch(s -> s.monitored() != null);
    if (reachableSentinels.isEmpty()) {
      return stats.verdict(false, "WaitingForSentinels", "no sentinel answers yet, so no master can be chosen", List.of());
    }
    if (reachableRedis.isEmpty()) {
      return stats.verdict(false, "WaitingForRedis", "no Redis pod answers yet", List.of());
    }
    if (!anyMonitors) {
      // Bootstrap. A sentinel or Redis that does not answer might know better (a master, more data):
      // wait for all, unless the ones that answer have waited long enough.
      if (!(allRedis && allSentinels) && !waitedEnough) {
        return stats.verdict(false, "Bootstrapping", "no master yet; waiting for every Redis pod and sentinel to answer"
            + " before choosing one (" + reachableRedis.size() + " of " + t.redis().size() + " Redis, "
            + reachableSentinels.size() + " of " + t.sentinels().size() + " sentinels)", List.of());
      }
      RedisNode chosen = best(reachableRedis);
      return stats.verdict(false, "Bootstrapping", "no sentinel knows a master: promoting " + chosen.pod()
          + " (it holds the most data) and pointing the sentinels at it",
          promoteAndPoint(chosen, reachableRedis, reachableSentinels, e, "no sentinel knows a master"));
    }
    // The sentinels had their chance: every pod that answers has had no working master link for
    // stuckAfter, and the master they watch is either a pod that answers as a non-master or one a
    // quorum of them sees down (a pod that does not answer might still be the master for them).
    boolean masterProvenGone = allRedis || sentinelsSeeTheirMasterDown(reachableSentinels, e.quorum());
    if (waitedEnough && masterProvenGone) {
      RedisNode chosen = best(reachableRedis);
      String why = "no master for " + e.stuckAfterSeconds() + "s and no replica with a working link, so the sentinels"
          + " cannot fail over";
      return stats.verdict(false, "Recovering", why + ": promoting " + chosen.pod() + " (it holds the most data)",
          promoteAndPoint(chosen, reachableRedis, reachableSentinels, e, why));
    }
    return stats.verdict(false, "NoMaster", "no Redis pod is the master; waiting for the sentinels to fail over",
        List.of());
  }

  private static boolean sentinelsSeeTheirMasterDown(List<SentinelNode> sentinels, int quorum) {
    return sentinels.stream().filter(s -> s.monitored() != null && s.monitored().down()).count() >= quorum;
  }

  /**
   * The replicas are pointed at the new master before the sentinels are, so that the master's
   * first answer to a sentinel already lists them: a sentinel that knows no replica cannot fail over.
   */
  private static List<HealAction> promoteAndPoint(RedisNode chosen, List<RedisNode> redis, List<SentinelNode> sentinels,
      Expectations e, String why) {
    List<HealAction> actions = new ArrayList<>();
    actions.add(new HealAction.Promote(chosen.pod(), why));
    for (RedisNode r : redis) {
      if (r != chosen) {
        actions.add(new HealAction.ReplicaOf(r.pod(), chosen.host(), e.port(), chosen.pod() + " is the new master"));
      }
    }
    for (SentinelNode s : sentinels) {
      if (s.monitored() == null || !s.monitored().host().equals(chosen.host()) || s.monitored().port() != e.port()) {
        actions.add(new HealAction.Monitor(s.pod(), chosen.host(), e.port(), why));
      }
    }
    return actions;
  }

  private static TopologyVerdict oneMaster(RedisTopology t, Expectations e, Stats stats, RedisNode master,
      List<SentinelNode> reachableSentinels, Optional<String> agreed) {
    String masterAddress = address(master.host(), e.port());
    List<HealAction> actions = new ArrayList<>();
    for (SentinelNode s : reachableSentinels) {
      MonitoredMaster m = s.monitored();
      if (m == null) {
        actions.add(new HealAction.Monitor(s.pod(), master.host(), e.port(), "it monitors no master"));
      } else if (!address(m.host(), m.port()).equals(masterAddress)) {
        actions.add(new HealAction.Monitor(s.pod(), master.host(), e.port(), "it still monitors " + m.host()
            + ", but " + master.pod() + " is the master" + (agreed.filter(masterAddress::equals).isPresent()
                ? " (the other sentinels agree)" : "")));
      }
    }
    for (RedisNode r : t.redis()) {
      if (r == master || !r.reachable()) {
        continue;
      }
      if (r.role() == Role.REPLICA_OF_NOTHING) {
        actions.add(new HealAction.ReplicaOf(r.pod(), master.host(), e.port(), "it was waiting for a master"));
      } else if (!address(r.masterHost(), r.masterPort()).equals(masterAddress)) {
        actions.add(new HealAction.ReplicaOf(r.pod(), master.host(), e.port(), "it replicates " + r.masterHost()
            + ", which is not the master"));
      }
    }
    if (actions.isEmpty()) {
      actions.addAll(staleSentinelTables(reachableSentinels, e));
    }
    if (actions.isEmpty()) {
      actions.addAll(rollingUpdate(t, master, reachableSentinels, stats, e));
    }
    boolean failoverPossible = stats.sentinelsReady >= e.quorum() && stats.sentinelsReady > e.sentinels() / 2;
    String summary = "master " + master.pod() + "; " + stats.replicasInSync + " of " + stats.replicas
        + " replicas in sync; " + stats.sentinelsReady + " of " + e.sentinels() + " sentinels watch it";
    if (!failoverPossible) {
      return stats.verdict(false, "NoQuorum", summary + ": fewer than the quorum (" + e.quorum()
          + ") or a majority, so a failover could not happen", actions);
    }
    String syncing = t.redis().stream().filter(RedisNode::syncing).map(RedisNode::pod).collect(Collectors.joining(", "));
    String reason = stats.replicasInSync < stats.replicas ? (syncing.isEmpty() ? "ReplicasNotInSync" : "ReplicaSyncing")
        : "Available";
    return stats.verdict(true, reason, summary + (syncing.isEmpty() ? "" : "; still syncing: " + syncing), actions);
  }

  /** A sentinel that counts more replicas or sentinels than exist (left over from replaced pods): reset it, one per check. */
  private static List<HealAction> staleSentinelTables(List<SentinelNode> sentinels, Expectations e) {
    for (SentinelNode s : sentinels) {
      MonitoredMaster m = s.monitored();
      if (m != null && (m.knownReplicas() > e.redisReplicas() - 1 || m.otherSentinels() > e.sentinels() - 1)) {
        return List.of(new HealAction.Reset(s.pod(), "it counts " + m.knownReplicas() + " replicas and "
            + m.otherSentinels() + " other sentinels, but there are " + (e.redisReplicas() - 1) + " and "
            + (e.sentinels() - 1)));
      }
    }
    return List.of();
  }

  /**
   * Pods of an older revision are replaced replicas first, one per check and only when every replica
   * is in sync; the master last, after a sentinel failover has made it a replica. A password change
   * restarts every pod that has the old one at once: they could not replicate from each other.
   */
  private static List<HealAction> rollingUpdate(RedisTopology t, RedisNode master, List<SentinelNode> sentinels,
      Stats stats, Expectations e) {
    List<HealAction> restarts = t.redis().stream().filter(RedisNode::restartRequired)
        .map(r -> (HealAction) new HealAction.DeletePod(r.pod(), "its Redis password changed")).toList();
    if (!restarts.isEmpty()) {
      return restarts;
    }
    boolean settled = stats.replicasInSync == e.redisReplicas() - 1 && stats.sentinelsReady == e.sentinels();
    if (!settled) {
      return List.of();
    }
    Optional<RedisNode> replica = t.redis().stream().filter(r -> r != master && r.outdated())
        .max(Comparator.comparingInt(RedisNode::ordinal));
    if (replica.isPresent()) {
      return List.of(new HealAction.DeletePod(replica.get().pod(), "rolling update: replicas first, one at a time"));
    }
    if (master.outdated() && e.redisReplicas() > 1) {
      return List.of(new HealAction.Failover(sentinels.get(0).pod(),
          "rolling update: " + master.pod() + " is the last pod of the old revision; it hands over before it restarts"));
    }
    if (master.outdated()) {
      return List.of(new HealAction.DeletePod(master.pod(), "rolling update of the only Redis pod"));
    }
    return List.of();
  }

  /** The master address that at least {@code quorum} sentinels monitor, if any. */
  static Optional<String> agreedMaster(List<SentinelNode> sentinels, int quorum) {
    Map<String, Long> votes = sentinels.stream().filter(s -> s.monitored() != null)
        .collect(Collectors.groupingBy(s -> address(s.monitored().host(), s.monitored().port()), LinkedHashMap::new,
            Collectors.counting()));
    return votes.entrySet().stream().filter(v -> v.getValue() >= quorum).map(Map.Entry::getKey).findFirst();
  }

  /** The pod with the most data: replication offset, then keys, then the lowest ordinal. */
  static RedisNode best(List<RedisNode> candidates) {
    return candidates.stream()
        .max(Comparator.comparingLong(RedisNode::offset).thenComparingLong(RedisNode::keys)
            .thenComparing(Comparator.comparingInt(RedisNode::ordinal).reversed()))
        .orElseThrow();
  }

  static String address(String host, int port) {
    return host + ":" + port;
  }

  private static String podList(List<RedisNode> nodes) {
    return nodes.stream().map(RedisNode::pod).collect(Collectors.joining(", "));
  }

  /** The counts for status.redis, the same whatever the verdict. */
  private record Stats(String master, int masters, int replicasInSync, int replicas, int sentinelsReady, int sentinels) {
    static Stats of(RedisTopology t, Expectations e) {
      List<RedisNode> masters = t.masters();
      RedisNode only = masters.size() == 1 ? masters.get(0) : null;
      int inSync = only == null ? 0 : (int) t.redis().stream()
          .filter(r -> r != only && r.role() == Role.REPLICA && r.linkUp() && !r.syncing()
              && r.masterHost().equals(only.host()) && r.masterPort() == e.port())
          .count();
      // ready to take part in a failover: it watches the master, sees it up, and knows a replica to promote
      int replicasNeeded = Math.min(1, e.redisReplicas() - 1);
      int sentinelsReady = only == null ? 0 : (int) t.sentinels().stream()
          .filter(s -> s.reachable() && !s.tilt() && s.monitored() != null
              && s.monitored().host().equals(only.host()) && s.monitored().port() == e.port() && !s.monitored().down()
              && s.monitored().knownReplicas() >= replicasNeeded)
          .count();
      return new Stats(only == null ? null : only.pod(), masters.size(), inSync, Math.max(0, e.redisReplicas() - 1),
          sentinelsReady, e.sentinels());
    }

    TopologyVerdict verdict(boolean ready, String reason, String message, List<HealAction> actions) {
      return new TopologyVerdict(ready, reason, message, master, masters, replicasInSync, replicas, sentinelsReady,
          sentinels, masters > 1, List.copyOf(actions));
    }
  }
}
