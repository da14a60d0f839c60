package dev.turbocache.operator.redis;

import dev.turbocache.operator.redis.RedisTopology.MonitoredMaster;
import dev.turbocache.operator.redis.RedisTopology.RedisNode;
import dev.turbocache.operator.redis.RedisTopology.Role;
import dev.turbocache.operator.redis.RedisTopology.SentinelNode;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import io.lettuce.core.sentinel.api.sync.RedisSentinelCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link RedisProbe} over Lettuce: one short-lived connection per pod and check, with short
 * timeouts, so that a dead pod costs a second, not a reconcile thread. The password is only ever
 * sent as AUTH; it is never logged (errors name the pod).
 */
public final class LettuceRedisProbe implements RedisProbe, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LettuceRedisProbe.class);
  /** The placeholder a Redis waiting for a master replicates (see redis-start.sh). */
  static final String NOTHING_HOST = "127.0.0.1";
  static final int NOTHING_PORT = 1;

  private final ClientResources resources;
  private final RedisClient client;
  private final Duration timeout;

  public LettuceRedisProbe(Duration timeout) {
    this.timeout = timeout;
    this.resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(1).build();
    this.client = RedisClient.create(resources);
    client.setOptions(ClientOptions.builder()
        .autoReconnect(false)
        .timeoutOptions(TimeoutOptions.enabled(timeout))
        .socketOptions(SocketOptions.builder().connectTimeout(timeout).build())
        .build());
  }

  @Override
  public RedisTopology observe(List<Target> redis, List<Target> sentinels, String masterName, String password) {
    List<RedisNode> nodes = new ArrayList<>();
    for (Target t : redis) {
      nodes.add(redisNode(t, password));
    }
    List<SentinelNode> watchers = new ArrayList<>();
    for (Target t : sentinels) {
      watchers.add(sentinelNode(t, masterName, password));
    }
    return new RedisTopology(List.copyOf(nodes), List.copyOf(watchers));
  }

  private RedisNode redisNode(Target t, String password) {
    if (t.address() == null) {
      return unreachable(t);
    }
    try (StatefulRedisConnection<String, String> c = client.connect(uri(t, password))) {
      RedisCommands<String, String> redis = c.sync();
      Map<String, String> replication = fields(redis.info("replication"));
      Map<String, String> server = fields(redis.info("server"));
      long keys = redis.dbsize();
      return node(t, replication, number(server, "uptime_in_seconds"), keys);
    } catch (RuntimeException e) {
      LOG.debug("Redis pod {} did not answer: {}", t.pod(), e.toString());
      return unreachable(t);
    }
  }

  private static RedisNode unreachable(Target t) {
    return new RedisNode(t.pod(), t.ordinal(), t.host(), Role.UNREACHABLE, null, 0, false, false, 0, 0, 0, t.outdated(),
        t.restartRequired());
  }

  /** A node from its {@code INFO replication} fields (pure; the unit tests feed it Redis' own output). */
  static RedisNode node(Target t, Map<String, String> replication, long uptimeSeconds, long keys) {
    String role = replication.getOrDefault("role", "");
    long offset = number(replication, "master_repl_offset");
    if (role.equals("master")) {
      return new RedisNode(t.pod(), t.ordinal(), t.host(), Role.MASTER, null, 0, false, false, 0, offset, keys,
          t.outdated(), t.restartRequired());
    }
    String masterHost = replication.getOrDefault("master_host", "");
    int masterPort = (int) number(replication, "master_port");
    boolean nothing = masterHost.equals(NOTHING_HOST) && masterPort == NOTHING_PORT;
    boolean syncing = "1".equals(replication.get("master_sync_in_progress"));
    boolean linkUp = "up".equals(replication.get("master_link_status")) && !syncing;
    long downSince = number(replication, "master_link_down_since_seconds");
    long orphaned = linkUp ? 0 : downSince >= 0 && !nothing ? downSince : uptimeSeconds;
    long replicaOffset = Math.max(offset, number(replication, "slave_repl_offset"));
    return new RedisNode(t.pod(), t.ordinal(), t.host(), nothing ? Role.REPLICA_OF_NOTHING : Role.REPLICA, masterHost,
        masterPort, linkUp, syncing, orphaned, replicaOffset, keys, t.outdated(), t.restartRequired());
  }

  private SentinelNode sentinelNode(Target t, String masterName, String password) {
    if (t.address() == null) {
      return new SentinelNode(t.pod(), t.host(), false, false, null);
    }
    try (StatefulRedisSentinelConnection<String, String> c = client.connectSentinel(uri(t, password))) {
      RedisSentinelCommands<String, String> sentinel = c.sync();
      boolean tilt = "1".equals(fields(sentinel.info("sentinel")).get("sentinel_tilt"));
      MonitoredMaster monitored;
      try {
        monitored = monitored(sentinel.master(masterName));
      } catch (RedisCommandExecutionException e) {
        monitored = null; // "No such master with that name": it monitors nothing (yet)
      }
      return new SentinelNode(t.pod(), t.host(), true, tilt, monitored);
    } catch (RuntimeException e) {
      LOG.debug("sentinel {} did not answer: {}", t.pod(), e.toString());
      return new SentinelNode(t.pod(), t.host(), false, false, null);
    }
  }

  /** A sentinel's view from its {@code SENTINEL MASTER} reply (pure). */
  static MonitoredMaster monitored(Map<String, String> master) {
    String flags = master.getOrDefault("flags", "");
    boolean down = flags.contains("s_down") || flags.contains("o_down") || flags.contains("disconnected");
    boolean failover = flags.contains("failover_in_progress") || !"none".equals(master.getOrDefault("failover-state", "none"));
    return new MonitoredMaster(master.get("ip"), (int) number(master, "port"), down, failover,
        (int) number(master, "num-slaves"), (int) number(master, "num-other-sentinels"));
  }

  @Override
  public void apply(HealAction action, Target target, String masterName, String password, SentinelSettings settings) {
    switch (action) {
      case HealAction.Promote p -> onRedis(target, password, r -> r.replicaofNoOne());
      case HealAction.ReplicaOf r -> onRedis(target, password, c -> c.replicaof(r.masterHost(), r.masterPort()));
      case HealAction.Monitor m -> onSentinel(target, password, s -> {
        try {
          s.remove(masterName);
        } catch (RedisCommandExecutionException e) {
          // it monitored nothing under that name
        }
        s.monitor(masterName, m.masterHost(), m.masterPort(), settings.quorum());
        s.set(masterName, "auth-pass", password);
        s.set(masterName, "down-after-milliseconds", Long.toString(settings.downAfterMillis()));
        s.set(masterName, "failover-timeout", Long.toString(settings.failoverTimeoutMillis()));
        s.set(masterName, "parallel-syncs", "1");
      });
      case HealAction.Reset r -> onSentinel(target, password, s -> s.reset(masterName));
      case HealAction.Failover f -> onSentinel(target, password, s -> s.failover(masterName));
      case HealAction.DeletePod d -> throw new IllegalArgumentException("pods are deleted through the Kubernetes API");
    }
  }

  private void onRedis(Target t, String password, Consumer<RedisCommands<String, String>> command) {
    try (StatefulRedisConnection<String, String> c = client.connect(uri(t, password))) {
      command.accept(c.sync());
    }
  }

  private void onSentinel(Target t, String password,
      Consumer<RedisSentinelCommands<String, String>> command) {
    try (StatefulRedisSentinelConnection<String, String> c = client.connectSentinel(uri(t, password))) {
      command.accept(c.sync());
    }
  }

  private RedisURI uri(Target t, String password) {
    return RedisURI.builder().withHost(t.address()).withPort(t.port()).withPassword(password.toCharArray())
        .withTimeout(timeout).build();
  }

  /** {@code INFO} text as fields. */
  public static Map<String, String> fields(String info) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : info.split("\r?\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && !line.startsWith("#")) {
        out.put(line.substring(0, colon), line.substring(colon + 1).trim());
      }
    }
    return out;
  }

  private static long number(Map<String, String> fields, String key) {
    try {
      return Long.parseLong(fields.getOrDefault(key, "0"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  @Override
  public void close() {
    client.shutdown();
    resources.shutdown();
  }
}
