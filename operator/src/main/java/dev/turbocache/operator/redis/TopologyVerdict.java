package dev.turbocache.operator.redis;

import java.util.List;

/**
 * The topology check's judgement: how the Redis set stands (for RedisReady and {@code status.redis})
 * and what to change, if anything.
 *
 * @param ready the cache servers can use Redis: exactly one master, and (Sentinel mode) enough
 *     sentinels watch it to fail over
 * @param reason a CamelCase word for RedisReady
 * @param message what a user reads in RedisReady
 * @param master the master's pod, or null
 * @param splitBrain more than one pod reports being the master
 * @param actions what the check changes, in order; empty when nothing is proven wrong
 */
public record TopologyVerdict(
    boolean ready,
    String reason,
    String message,
    String master,
    int masters,
    int replicasInSync,
    int replicas,
    int sentinelsReady,
    int sentinels,
    boolean splitBrain,
    List<HealAction> actions) {}
