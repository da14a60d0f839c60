package dev.turbocache.operator.redis;

/** A change the topology check decided to make; each one names the pod it acts on and why. */
public sealed interface HealAction {
  String why();

  /** {@code REPLICAOF NO ONE} on a Redis: it becomes the master. */
  record Promote(String pod, String why) implements HealAction {}

  /** {@code REPLICAOF host port} on a Redis. */
  record ReplicaOf(String pod, String masterHost, int masterPort, String why) implements HealAction {}

  /** A sentinel starts monitoring the master at this address (after forgetting a different one). */
  record Monitor(String sentinel, String masterHost, int masterPort, String why) implements HealAction {}

  /** {@code SENTINEL RESET}: the sentinel forgets replicas and sentinels that no longer exist. */
  record Reset(String sentinel, String why) implements HealAction {}

  /** {@code SENTINEL FAILOVER}: hand the master role to an in-sync replica (before restarting the master). */
  record Failover(String sentinel, String why) implements HealAction {}

  /** Delete a Redis pod so its StatefulSet recreates it with the current revision. */
  record DeletePod(String pod, String why) implements HealAction {}
}
