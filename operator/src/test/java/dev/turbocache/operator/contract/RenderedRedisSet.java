package dev.turbocache.operator.contract;

import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.model.Names;
import dev.turbocache.operator.model.ResolvedSpec;
import dev.turbocache.operator.redis.LettuceRedisProbe;
import dev.turbocache.operator.redis.RedisAuthSecret;
import dev.turbocache.operator.redis.RedisConfigMap;
import dev.turbocache.operator.redis.RedisStatefulSet;
import dev.turbocache.operator.redis.RedisTopologyCheck;
import dev.turbocache.operator.redis.SentinelStatefulSet;
import dev.turbocache.operator.redis.TopologyVerdict;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.sentinel.api.sync.RedisSentinelCommands;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The Redis set the operator renders for one TurboCache in Sentinel mode - the password Secret, the
 * config ConfigMap, the Redis and sentinel StatefulSets - with every pod run as a real process on
 * its own loopback address ({@link RenderedRedisPod}), and the operator's topology check pointed at
 * them. Pod {@code i} of Redis listens on {@code <prefix>.(10+i)}, sentinel {@code j} on
 * {@code <prefix>.(20+j)}.
 */
final class RenderedRedisSet implements AutoCloseable {
  final TurboCache cr;
  final Secret auth;
  final String password;
  final List<RenderedRedisPod> redis = new ArrayList<>();
  final List<RenderedRedisPod> sentinels = new ArrayList<>();
  final Map<String, String> hosts = new LinkedHashMap<>();
  private final LettuceRedisProbe probe = new LettuceRedisProbe(Duration.ofSeconds(1));
  private final RedisTopologyCheck check;
  private final RedisClient client = RedisClient.create();

  /** @param prefix the first three parts of this set's loopback addresses, e.g. {@code 127.0.10} */
  RenderedRedisSet(TurboCache cr, String prefix, Path root) {
    this.cr = cr;
    this.auth = RedisAuthSecret.desired(cr, null);
    this.password = new String(Base64.getDecoder().decode(auth.getData().get(RedisAuthSecret.PASSWORD_KEY)),
        StandardCharsets.UTF_8);
    ResolvedSpec.ManagedRedis m = ResolvedSpec.of(cr).redis().managed();
    StatefulSet redisSet = RedisStatefulSet.desired(cr, auth);
    StatefulSet sentinelSet = SentinelStatefulSet.desired(cr, auth);
    ConfigMap config = RedisConfigMap.desired(cr);
    for (int i = 0; i < m.redisReplicas(); i++) {
      hosts.put(Names.podHost(cr, Names.redis(cr) + "-" + i, Names.redisHeadless(cr)), prefix + "." + (10 + i));
    }
    for (int i = 0; i < m.sentinels(); i++) {
      hosts.put(Names.podHost(cr, Names.sentinel(cr) + "-" + i, Names.sentinelHeadless(cr)), prefix + "." + (20 + i));
    }
    // the ClusterIP Services: a client reaches one of their pods
    hosts.put(Names.serviceHost(cr, Names.sentinel(cr)), prefix + ".20");
    hosts.put(Names.serviceHost(cr, Names.redis(cr)), prefix + ".10");
    for (int i = 0; i < m.redisReplicas(); i++) {
      redis.add(RenderedRedisPod.materialize(redisSet, i, prefix + "." + (10 + i), config, List.of(auth), hosts,
          root.resolve(Names.redis(cr) + "-" + i)));
    }
    for (int i = 0; i < m.sentinels(); i++) {
      sentinels.add(RenderedRedisPod.materialize(sentinelSet, i, prefix + "." + (20 + i), config, List.of(auth), hosts,
          root.resolve(Names.sentinel(cr) + "-" + i)));
    }
    Map<String, String> ipOfPod = new LinkedHashMap<>();
    redis.forEach(p -> ipOfPod.put(p.name, p.ip));
    sentinels.forEach(p -> ipOfPod.put(p.name, p.ip));
    this.check = new RedisTopologyCheck(c -> probe,
        (c, pod, headless, live) -> new RedisTopologyCheck.Endpoint(ipOfPod.get(pod), ipOfPod.get(pod)));
  }

  void startAll() {
    sentinels.forEach(RenderedRedisPod::start);
    redis.forEach(RenderedRedisPod::start);
  }

  void killAll() {
    redis.forEach(RenderedRedisPod::kill);
    sentinels.forEach(RenderedRedisPod::kill);
  }

  /** One topology check as the operator runs it (healing on), with the rendered StatefulSet. */
  TopologyVerdict check() {
    return check.check(cr, auth, RedisStatefulSet.desired(cr, auth), List.of(), true,
        pod -> { throw new AssertionError("no rolling update expected: " + pod); });
  }

  /** The pod's {@code INFO replication} field, or null when it does not answer. */
  String info(RenderedRedisPod pod, String field) {
    return query(pod, c -> LettuceRedisProbe.fields(c.sync().info("replication")).get(field));
  }

  /** The master as a sentinel names it ({@code host}), or null. */
  String namedMaster(RenderedRedisPod sentinel) {
    try (var c = client.connectSentinel(uri(sentinel))) {
      var address = c.sync().getMasterAddrByName(Names.redisMaster(cr));
      return address == null ? null : ((InetSocketAddress) address).getHostString();
    } catch (RuntimeException e) {
      return null;
    }
  }

  <T> T query(RenderedRedisPod pod, Function<StatefulRedisConnection<String, String>, T> f) {
    try (StatefulRedisConnection<String, String> c = client.connect(uri(pod))) {
      return f.apply(c);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** A command on a sentinel, as an administrator would type it. */
  <T> T onSentinel(RenderedRedisPod sentinel, Function<RedisSentinelCommands<String, String>, T> f) {
    try (var c = client.connectSentinel(uri(sentinel))) {
      return f.apply(c.sync());
    }
  }

  /** The Redis pods that report role:master right now. */
  List<RenderedRedisPod> masters() {
    return redis.stream().filter(p -> "master".equals(info(p, "role"))).toList();
  }

  RedisURI uri(RenderedRedisPod pod) {
    int port = sentinels.contains(pod) ? 26379 : 6379;
    return RedisURI.builder().withHost(pod.ip).withPort(port).withPassword(password.toCharArray())
        .withTimeout(Duration.ofSeconds(1)).build();
  }

  String logs() {
    StringBuilder out = new StringBuilder();
    for (RenderedRedisPod p : redis) {
      out.append("--- ").append(p.name).append('\n').append(p.log());
    }
    for (RenderedRedisPod p : sentinels) {
      out.append("--- ").append(p.name).append('\n').append(p.log());
    }
    return out.toString();
  }

  @Override
  public void close() {
    killAll();
    probe.close();
    client.shutdown();
  }
}
