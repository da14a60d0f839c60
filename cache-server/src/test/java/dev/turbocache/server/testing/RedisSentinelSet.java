package dev.turbocache.server.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A Redis master with two replicas and three sentinels (quorum 2, master {@code mymaster}), all
 * real processes on loopback ports ({@link RedisProcess}), started and checked healthy: every
 * replica linked, every sentinel seeing two replicas and three sentinels. The sentinels fail over
 * within seconds of the master going away. {@link #close()} kills every process.
 */
public final class RedisSentinelSet implements AutoCloseable {
  public static final String MASTER_NAME = "mymaster";

  private final List<RedisProcess> processes = new ArrayList<>();
  private final List<RedisProcess> replicas = new ArrayList<>();
  private final List<RedisProcess> sentinels = new ArrayList<>();
  private RedisProcess master;

  private RedisSentinelSet() {}

  public static RedisSentinelSet start(Path dir) throws IOException {
    RedisSentinelSet set = new RedisSentinelSet();
    try {
      set.startAll(dir);
      return set;
    } catch (IOException | RuntimeException e) {
      set.close();
      throw e;
    }
  }

  private void startAll(Path dir) throws IOException {
    master = track(RedisProcess.start(dir));
    String masterPort = Integer.toString(master.port());
    for (int i = 0; i < 2; i++) {
      replicas.add(track(RedisProcess.start(dir, "--replicaof", "127.0.0.1", masterPort)));
    }
    await("replication").atMost(Duration.ofSeconds(15)).until(() ->
        info(master, "replication").contains("connected_slaves:2")
            && replicas.stream().allMatch(r -> info(r, "replication").contains("master_link_status:up")));
    for (int i = 0; i < 3; i++) {
      sentinels.add(track(RedisProcess.sentinel(dir, master.port())));
    }
    await("sentinels").atMost(Duration.ofSeconds(20)).until(() -> sentinels.stream().allMatch(s -> {
      String info = info(s, "sentinel");
      return info.contains("status=ok") && info.contains("slaves=2,sentinels=3");
    }));
  }

  private RedisProcess track(RedisProcess process) {
    processes.add(process);
    return process;
  }

  /** {@code redis-sentinel://127.0.0.1:p1,…/0?sentinelMasterId=mymaster}. */
  public String uri() {
    return "redis-sentinel://" + String.join(",",
        sentinels.stream().map(s -> "127.0.0.1:" + s.port()).toList())
        + "/0?sentinelMasterId=" + MASTER_NAME;
  }

  public RedisProcess master() {
    return master;
  }

  public List<RedisProcess> replicas() {
    return List.copyOf(replicas);
  }

  /** The master's port as the first sentinel sees it. */
  @SuppressWarnings("unchecked")
  public int masterPort() throws IOException {
    List<Object> address = (List<Object>) sentinels.getFirst()
        .call("SENTINEL", "get-master-addr-by-name", MASTER_NAME);
    return Integer.parseInt((String) address.get(1));
  }

  /** Kills the master (SIGKILL) and waits until the sentinels have promoted a replica; its port. */
  public int killMasterAndAwaitPromotion() throws IOException {
    int old = master.port();
    master.kill();
    await("a promoted replica").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
        .ignoreExceptions().until(() -> masterPort() != old);
    return masterPort();
  }

  private static String info(RedisProcess process, String section) {
    try {
      return (String) process.call("INFO", section);
    } catch (IOException e) {
      return "";
    }
  }

  @Override
  public void close() {
    processes.forEach(RedisProcess::kill);
  }
}
