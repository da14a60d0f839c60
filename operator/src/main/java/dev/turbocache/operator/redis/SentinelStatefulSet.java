package dev.turbocache.operator.redis;

import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.dependent.OptionalDependent;
import dev.turbocache.operator.dependent.TurboCacheDependent;
import dev.turbocache.operator.model.Labels;
import dev.turbocache.operator.model.Names;
import dev.turbocache.operator.model.ResolvedSpec;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The sentinels, a StatefulSet of their own (separate from Redis, so losing a Redis pod never takes
 * a sentinel with it) with stable host names. They roll one at a time: a restarted sentinel asks its
 * peers for the master, and the operator's check corrects it if its view is stale.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.SENTINEL_SELECTOR))
public class SentinelStatefulSet extends TurboCacheDependent<StatefulSet> {
  public static final String CONTAINER = "sentinel";

  public SentinelStatefulSet() {
    super(StatefulSet.class, Names::sentinel,
        (cr, context) -> desired(cr, context.getSecondaryResource(Secret.class, RedisAuthSecret.DEPENDENT).orElse(null)));
  }

  public static StatefulSet desired(TurboCache cr, Secret auth) {
    ResolvedSpec.ManagedRedis m = OptionalDependent.required(ResolvedSpec.of(cr).redis().managed(), "a managed Redis");
    RedisTimings timings = RedisTimings.of(m);
    List<EnvVar> env = new ArrayList<>(RedisPods.identity(cr, Names.sentinelHeadless(cr)));
    env.add(new EnvVar("SENTINEL_DATA_DIR", RedisPods.DATA_DIR, null));
    env.add(new EnvVar("QUORUM", Integer.toString(m.quorum()), null));
    env.add(new EnvVar("DOWN_AFTER_MS", Long.toString(timings.downAfter().toMillis()), null));
    env.add(new EnvVar("FAILOVER_TIMEOUT_MS", Long.toString(timings.failoverTimeout().toMillis()), null));
    env.add(new EnvVar("SENTINEL_PEERS", RedisPods.sentinelAddresses(cr, m.sentinels()), null));
    return new StatefulSetBuilder()
        .withMetadata(metadata(cr, Names.sentinel(cr), Labels.Component.SENTINEL))
        .withNewSpec()
        .withReplicas(m.sentinels())
        .withServiceName(Names.sentinelHeadless(cr))
        .withPodManagementPolicy("Parallel")
        .withNewUpdateStrategy().withType("RollingUpdate").endUpdateStrategy()
        .withNewSelector().withMatchLabels(Labels.selector(cr, Labels.Component.SENTINEL)).endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(Labels.of(cr, Labels.Component.SENTINEL))
        .withAnnotations(Map.of(
            RedisPods.CONFIG_CHECKSUM, RedisStatefulSet.configChecksum(cr),
            RedisPods.AUTH_CHECKSUM, RedisStatefulSet.authChecksum(auth)))
        .endMetadata()
        .withNewSpec()
        .withAutomountServiceAccountToken(false)
        .withEnableServiceLinks(false)
        .withTerminationGracePeriodSeconds(10L)
        .withSecurityContext(RedisPods.podSecurityContext())
        .withAffinity(RedisPods.affinity(cr, Labels.Component.SENTINEL, Labels.Component.REDIS))
        .withTopologySpreadConstraints(RedisPods.zoneSpread(cr, Labels.Component.SENTINEL))
        .addNewContainer()
        .withName(CONTAINER)
        .withImage(m.image())
        .withCommand("sh", RedisPods.CONFIG_DIR + "/" + RedisConfigMap.SENTINEL_START)
        .addNewPort().withName(RedisPods.SENTINEL_PORT_NAME).withContainerPort(RedisPods.SENTINEL_PORT).withProtocol("TCP").endPort()
        .withEnv(env)
        .withResources(m.sentinelResources())
        .withLivenessProbe(RedisPods.probe("sentinel", 10, 3))
        .withReadinessProbe(RedisPods.probe("sentinel", 5, 1))
        .withSecurityContext(RedisPods.containerSecurityContext())
        .withVolumeMounts(RedisPods.mounts())
        .endContainer()
        .addNewVolume().withName(RedisPods.CONFIG_VOLUME).withNewConfigMap().withName(Names.redisConfig(cr)).endConfigMap().endVolume()
        .addNewVolume().withName(RedisPods.DATA_VOLUME).withNewEmptyDir().endEmptyDir().endVolume()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }
}
