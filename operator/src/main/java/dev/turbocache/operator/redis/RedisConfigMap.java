package dev.turbocache.operator.redis;

import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.dependent.TurboCacheDependent;
import dev.turbocache.operator.model.Labels;
import dev.turbocache.operator.model.Names;
import dev.turbocache.operator.model.ResolvedSpec;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Redis set's configuration and start scripts. Nothing secret: the password reaches the
 * containers only from {@link RedisAuthSecret}, and the start scripts write it into a config file in
 * the container's own writable directory.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.REDIS_SELECTOR))
public class RedisConfigMap extends TurboCacheDependent<ConfigMap> {
  public static final String REDIS_CONF = "redis.conf";
  public static final String REDIS_START = "redis-start.sh";
  public static final String SENTINEL_START = "sentinel-start.sh";
  public static final String PROBE = "redis-probe.sh";
  public static final String LIB = "redis-lib.sh";
  static final List<String> SCRIPTS = List.of(REDIS_START, SENTINEL_START, PROBE, LIB);

  public RedisConfigMap() {
    super(ConfigMap.class, Names::redisConfig, RedisConfigMap::desired);
  }

  public static ConfigMap desired(TurboCache cr) {
    Map<String, String> data = new LinkedHashMap<>();
    data.put(REDIS_CONF, redisConf(ResolvedSpec.of(cr).redis().managed()));
    for (String script : SCRIPTS) {
      data.put(script, script(script));
    }
    return new ConfigMapBuilder()
        .withMetadata(metadata(cr, Names.redisConfig(cr), Labels.Component.REDIS))
        .withData(data)
        .build();
  }

  /**
   * Redis as a cache: bounded memory with least-recently-used eviction over all keys, no
   * persistence (a restarted pod syncs from the master, and a master never restarts as one), and
   * replicas that serve while they resync.
   */
  static String redisConf(ResolvedSpec.ManagedRedis redis) {
    return String.join("\n",
        "port " + RedisPods.REDIS_PORT,
        "protected-mode yes",
        "maxmemory " + redis.maxMemoryBytes(),
        "maxmemory-policy allkeys-lru",
        "save \"\"",
        "appendonly no",
        "replica-read-only yes",
        "replica-serve-stale-data yes",
        "repl-diskless-sync yes",
        "tcp-keepalive 60",
        "");
  }

  static String script(String name) {
    try (InputStream in = RedisConfigMap.class.getResourceAsStream("/redis/" + name)) {
      if (in == null) {
        throw new IllegalStateException("the operator jar lacks /redis/" + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
