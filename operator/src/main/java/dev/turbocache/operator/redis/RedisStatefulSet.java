package dev.turbocache.operator.redis;

import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.dependent.OptionalDependent;
import dev.turbocache.operator.dependent.TurboCacheDependent;
import dev.turbocache.operator.model.Checksums;
import dev.turbocache.operator.model.Labels;
import dev.turbocache.operator.model.Names;
import dev.turbocache.operator.model.ResolvedSpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The Redis pods: in Sentinel mode one master and its replicas, in Standalone mode one master.
 * Sentinel mode updates pods {@code OnDelete}: the operator's topology check replaces them, replicas
 * first and the master last after a failover; the StatefulSet controller would restart them in
 * ordinal order without knowing which one is the master. All pods start at once (Parallel): the
 * start script, not the start order, keeps a second master from appearing.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.REDIS_SELECTOR))
public class RedisStatefulSet extends TurboCacheDependent<StatefulSet> {
  public static final String CONTAINER = "redis";

  public RedisStatefulSet() {
    super(StatefulSet.class, Names::redis,
        (cr, context) -> desired(cr, context.getSecondaryResource(Secret.class, RedisAuthSecret.DEPENDENT).orElse(null)));
  }

  /** @param auth the Redis password Secret as it is (its checksum restarts the pods when it changes) */
  public static StatefulSet desired(TurboCache cr, Secret auth) {
    ResolvedSpec.Redis redis = ResolvedSpec.of(cr).redis();
    ResolvedSpec.ManagedRedis m = OptionalDependent.required(redis.managed(), "a managed Redis");
    RedisTimings timings = RedisTimings.of(m);
    List<EnvVar> env = new ArrayList<>(RedisPods.identity(cr, Names.redisHeadless(cr)));
    env.add(new EnvVar("REDIS_CONF", RedisPods.CONFIG_DIR + "/" + RedisConfigMap.REDIS_CONF, null));
    env.add(new EnvVar("REDIS_DATA_DIR", RedisPods.DATA_DIR, null));
    env.add(new EnvVar("REDIS_MODE", redis.sentinel() ? "sentinel" : "standalone", null));
    if (redis.sentinel()) {
      env.add(new EnvVar("SENTINELS", RedisPods.sentinelAddresses(cr, m.sentinels()), null));
      env.add(new EnvVar("MASTER_HANDOVER_WAIT", Long.toString(timings.masterHandoverWait().toSeconds()), null));
    }
    Container container = new ContainerBuilder()
        .withName(CONTAINER)
        .withImage(m.image())
        .withCommand("sh", RedisPods.CONFIG_DIR + "/" + RedisConfigMap.REDIS_START)
        .addNewPort().withName(RedisPods.REDIS_PORT_NAME).withContainerPort(RedisPods.REDIS_PORT).withProtocol("TCP").endPort()
        .withEnv(env)
        .withResources(m.resources())
        // The start script may wait out a handover before Redis runs.
        .withStartupProbe(RedisPods.probe("live", 2, (int) timings.masterHandoverWait().toSeconds() / 2 + 30))
        .withLivenessProbe(RedisPods.probe("live", 10, 3))
        .withReadinessProbe(RedisPods.probe("ready", 5, 1))
        .withSecurityContext(RedisPods.containerSecurityContext())
        .withVolumeMounts(RedisPods.mounts())
        .build();
    List<Volume> volumes = new ArrayList<>(List.of(RedisPods.configVolume(cr)));
    if (m.storageSize() == null) {
      volumes.add(new VolumeBuilder().withName(RedisPods.DATA_VOLUME).withNewEmptyDir().endEmptyDir().build());
    }
    return new StatefulSetBuilder()
        .withMetadata(metadata(cr, Names.redis(cr), Labels.Component.REDIS))
        .withNewSpec()
        .withReplicas(m.redisReplicas())
        .withServiceName(Names.redisHeadless(cr))
        .withPodManagementPolicy("Parallel")
        .withNewUpdateStrategy().withType(redis.sentinel() ? "OnDelete" : "RollingUpdate").endUpdateStrategy()
        .withNewSelector().withMatchLabels(Labels.selector(cr, Labels.Component.REDIS)).endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(Labels.of(cr, Labels.Component.REDIS))
        .withAnnotations(Map.of(
            RedisPods.CONFIG_CHECKSUM, configChecksum(cr),
            RedisPods.AUTH_CHECKSUM, authChecksum(auth)))
        .endMetadata()
        .withNewSpec()
        .withAutomountServiceAccountToken(false)
        .withEnableServiceLinks(false)
        .withTerminationGracePeriodSeconds(30L)
        .withSecurityContext(RedisPods.podSecurityContext())
        .withAffinity(RedisPods.affinity(cr, Labels.Component.REDIS, Labels.Component.SENTINEL))
        .withTopologySpreadConstraints(RedisPods.zoneSpread(cr, Labels.Component.REDIS))
        .withContainers(container)
        .withVolumes(volumes)
        .endSpec()
        .endTemplate()
        .withVolumeClaimTemplates(claims(cr, m))
        .endSpec()
        .build();
  }

  private static List<PersistentVolumeClaim> claims(TurboCache cr, ResolvedSpec.ManagedRedis m) {
    if (m.storageSize() == null) {
      return List.of();
    }
    return List.of(new PersistentVolumeClaimBuilder()
        .withNewMetadata().withName(RedisPods.DATA_VOLUME).withLabels(Labels.of(cr, Labels.Component.REDIS)).endMetadata()
        .withNewSpec()
        .withAccessModes("ReadWriteOnce")
        .withStorageClassName(m.storageClassName())
        .withNewResources().addToRequests("storage", new Quantity(m.storageSize())).endResources()
        .endSpec()
        .build());
  }

  /** What is in the config ConfigMap the pods read at start. */
  static String configChecksum(TurboCache cr) {
    return Checksums.of(String.join("\0", RedisConfigMap.desired(cr).getData().values()), List.of());
  }

  static String authChecksum(Secret auth) {
    String password = auth == null || auth.getData() == null ? null : auth.getData().get(RedisAuthSecret.PASSWORD_KEY);
    return Checksums.of("", Collections.singletonList(password));
  }
}
