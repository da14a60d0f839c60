package dev.turbocache.operator.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turbocache.operator.TestResources;
import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.api.v1alpha1.spec.ManagedRedisSpec;
import dev.turbocache.operator.api.v1alpha1.spec.RedisSentinelSpec;
import dev.turbocache.operator.api.v1alpha1.spec.RedisTierSpec;
import dev.turbocache.operator.model.Labels;
import dev.turbocache.operator.model.ResolvedSpec;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The pure {@code desired(...)} of every child of an operator-managed Redis. */
class RedisChildrenTest {
  static TurboCache sentinel() {
    return TestResources.withRedisMode(TestResources.minimal(), RedisTierSpec.Mode.Sentinel);
  }

  static Map<String, String> env(Container c) {
    return c.getEnv().stream().filter(e -> e.getValue() != null)
        .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
  }

  static String decoded(Secret s) {
    return new String(Base64.getDecoder().decode(s.getData().get("password")), StandardCharsets.UTF_8);
  }

  @Test
  void thePasswordIsGeneratedOnceAndKept() {
    Secret first = RedisAuthSecret.desired(sentinel(), null);
    assertThat(first.getMetadata().getName()).isEqualTo("monorepo-redis-auth");
    assertThat(decoded(first)).hasSize(40).matches("[A-Za-z0-9]+");
    assertThat(RedisAuthSecret.desired(sentinel(), first).getData()).isEqualTo(first.getData());
    assertThat(decoded(RedisAuthSecret.desired(sentinel(), null))).as("random").isNotEqualTo(decoded(first));
    assertThat(first.getMetadata().getLabels()).containsEntry(Labels.COMPONENT, "redis").doesNotContainKey("team");
  }

  @Test
  void theConfigMapHoldsNoSecretAndConfiguresACache() {
    TurboCache cr = sentinel();
    ConfigMap config = RedisConfigMap.desired(cr);
    Secret auth = RedisAuthSecret.desired(cr, null);
    assertThat(config.getData()).containsOnlyKeys("redis.conf", "redis-start.sh", "sentinel-start.sh", "redis-probe.sh", "redis-lib.sh");
    assertThat(Serialization.asYaml(config)).doesNotContain(decoded(auth));
    assertThat(config.getData().get("redis.conf"))
        .contains("maxmemory 1073741824").contains("maxmemory-policy allkeys-lru").contains("save \"\"")
        .contains("appendonly no").doesNotContain("requirepass");
  }

  @Test
  void sentinelModeHasSeparateStatefulSetsWithStableNamesAndTheOperatorRollsRedis() {
    TurboCache cr = sentinel();
    Secret auth = RedisAuthSecret.desired(cr, null);
    StatefulSet redis = RedisStatefulSet.desired(cr, auth);
    StatefulSet sentinels = SentinelStatefulSet.desired(cr, auth);
    assertThat(redis.getSpec().getReplicas()).isEqualTo(3);
    assertThat(sentinels.getSpec().getReplicas()).isEqualTo(3);
    assertThat(redis.getSpec().getServiceName()).isEqualTo("monorepo-redis-headless");
    assertThat(sentinels.getSpec().getServiceName()).isEqualTo("monorepo-sentinel-headless");
    assertThat(redis.getSpec().getUpdateStrategy().getType()).as("replicas first, master last: the operator decides")
        .isEqualTo("OnDelete");
    assertThat(sentinels.getSpec().getUpdateStrategy().getType()).isEqualTo("RollingUpdate");
    assertThat(redis.getSpec().getPodManagementPolicy()).isEqualTo("Parallel");
    assertThat(redis.getSpec().getSelector().getMatchLabels()).containsEntry(Labels.COMPONENT, "redis");
    assertThat(sentinels.getSpec().getSelector().getMatchLabels()).containsEntry(Labels.COMPONENT, "sentinel");

    Map<String, String> redisEnv = env(redis.getSpec().getTemplate().getSpec().getContainers().get(0));
    assertThat(redisEnv).containsEntry("MASTER_NAME", "turbocache-build-infra-monorepo")
        .containsEntry("ANNOUNCE_HOST", "$(POD_NAME).monorepo-redis-headless.build-infra.svc")
        .containsEntry("BIND_ADDRESS", "$(POD_IP)")
        .containsEntry("REDIS_MODE", "sentinel")
        .containsEntry("SENTINELS", "monorepo-sentinel-0.monorepo-sentinel-headless.build-infra.svc:26379"
            + " monorepo-sentinel-1.monorepo-sentinel-headless.build-infra.svc:26379"
            + " monorepo-sentinel-2.monorepo-sentinel-headless.build-infra.svc:26379");
    Map<String, String> sentinelEnv = env(sentinels.getSpec().getTemplate().getSpec().getContainers().get(0));
    assertThat(sentinelEnv).containsEntry("QUORUM", "2").containsEntry("DOWN_AFTER_MS", "5000")
        .containsEntry("FAILOVER_TIMEOUT_MS", "30000");
    for (StatefulSet s : new StatefulSet[] {redis, sentinels}) {
      Container c = s.getSpec().getTemplate().getSpec().getContainers().get(0);
      assertThat(c.getImage()).isEqualTo("docker.io/library/redis:7.2.7");
      assertThat(c.getEnv()).filteredOn(e -> e.getName().equals("REDIS_PASSWORD")).singleElement().satisfies(e -> {
        assertThat(e.getValue()).isNull();
        assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("monorepo-redis-auth");
      });
      assertThat(Serialization.asYaml(s)).as("the password never appears in a StatefulSet").doesNotContain(decoded(auth));
    }
  }

  @Test
  void podsAreRestrictedSpreadAndProbedSoASyncingReplicaIsAliveButNotReady() {
    TurboCache cr = sentinel();
    PodSpec pod = RedisStatefulSet.desired(cr, null).getSpec().getTemplate().getSpec();
    Container c = pod.getContainers().get(0);
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(999L);
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    assertThat(c.getReadinessProbe().getExec().getCommand()).containsExactly("sh", "/etc/turbocache-redis/redis-probe.sh", "ready");
    assertThat(c.getLivenessProbe().getExec().getCommand()).containsExactly("sh", "/etc/turbocache-redis/redis-probe.sh", "live");
    assertThat(c.getStartupProbe().getFailureThreshold() * c.getStartupProbe().getPeriodSeconds())
        .as("a restarted master may wait out its handover before Redis runs")
        .isGreaterThan((int) RedisTimings.of(ResolvedSpec.of(cr).redis().managed())
            .masterHandoverWait().toSeconds());
    assertThat(pod.getAffinity().getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution())
        .extracting(t -> t.getPodAffinityTerm().getLabelSelector().getMatchLabels().get(Labels.COMPONENT))
        .containsExactly("redis", "sentinel");
    assertThat(pod.getTopologySpreadConstraints()).singleElement()
        .satisfies(t -> assertThat(t.getTopologyKey()).isEqualTo("topology.kubernetes.io/zone"));
    assertThat(c.getResources().getLimits().get("memory")).as("maxmemory plus headroom").isEqualTo(new Quantity("1344Mi"));
  }

  @Test
  void storageBecomesAClaimPerPod() {
    TurboCache cr = sentinel();
    cr.getSpec().tiers.redis.sentinel = new RedisSentinelSpec();
    cr.getSpec().tiers.redis.sentinel.storage = new ManagedRedisSpec.StorageSpec();
    cr.getSpec().tiers.redis.sentinel.storage.size = "5Gi";
    cr.getSpec().tiers.redis.sentinel.storage.storageClassName = "fast";
    StatefulSet s = RedisStatefulSet.desired(cr, null);
    assertThat(s.getSpec().getVolumeClaimTemplates()).singleElement().satisfies(t -> {
      assertThat(t.getMetadata().getName()).isEqualTo("data");
      assertThat(t.getSpec().getStorageClassName()).isEqualTo("fast");
      assertThat(t.getSpec().getResources().getRequests().get("storage")).isEqualTo(new Quantity("5Gi"));
    });
    assertThat(s.getSpec().getTemplate().getSpec().getVolumes()).extracting(v -> v.getName()).containsExactly("config");
    assertThat(RedisStatefulSet.desired(sentinel(), null).getSpec().getTemplate().getSpec().getVolumes())
        .filteredOn(v -> v.getName().equals("data")).singleElement().satisfies(v -> assertThat(v.getEmptyDir()).isNotNull());
  }

  @Test
  void headlessServicesPublishPodsBeforeTheyAreReadyClientServicesOnlyReadyOnes() {
    TurboCache cr = sentinel();
    for (Service headless : new Service[] {RedisServices.RedisHeadless.desired(cr), RedisServices.SentinelHeadless.desired(cr)}) {
      assertThat(headless.getSpec().getClusterIP()).isEqualTo("None");
      assertThat(headless.getSpec().getPublishNotReadyAddresses()).isTrue();
    }
    Service sentinels = RedisServices.SentinelClient.desired(cr);
    assertThat(sentinels.getMetadata().getName()).isEqualTo("monorepo-sentinel");
    assertThat(sentinels.getSpec().getClusterIP()).isNull();
    assertThat(sentinels.getSpec().getPublishNotReadyAddresses()).isNull();
    assertThat(sentinels.getSpec().getPorts()).singleElement().satisfies(p -> assertThat(p.getPort()).isEqualTo(26379));
    assertThat(RedisServices.RedisClient.desired(cr).getSpec().getPorts()).singleElement()
        .satisfies(p -> assertThat(p.getPort()).isEqualTo(6379));
  }

  @Test
  void budgetsLetOnePodOfEachGoAtATime() {
    TurboCache cr = sentinel();
    for (PodDisruptionBudget b : new PodDisruptionBudget[] {RedisServices.RedisBudget.desired(cr),
        RedisServices.SentinelBudget.desired(cr)}) {
      assertThat(b.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
    }
    assertThat(RedisServices.SentinelBudget.desired(cr).getSpec().getSelector().getMatchLabels())
        .containsEntry(Labels.COMPONENT, "sentinel");
  }

  @Test
  void standaloneIsOneMasterWithoutSentinels() {
    TurboCache cr = TestResources.withRedisMode(TestResources.minimal(), RedisTierSpec.Mode.Standalone);
    StatefulSet s = RedisStatefulSet.desired(cr, null);
    assertThat(s.getSpec().getReplicas()).isEqualTo(1);
    assertThat(s.getSpec().getUpdateStrategy().getType()).isEqualTo("RollingUpdate");
    assertThat(env(s.getSpec().getTemplate().getSpec().getContainers().get(0))).containsEntry("REDIS_MODE", "standalone")
        .doesNotContainKey("SENTINELS");
  }

  @Test
  void twoTurboCachesGetDifferentMasterNames() {
    TurboCache other = sentinel();
    other.getMetadata().setName("other");
    assertThat(env(RedisStatefulSet.desired(other, null).getSpec().getTemplate().getSpec().getContainers().get(0)))
        .containsEntry("MASTER_NAME", "turbocache-build-infra-other");
  }

  @Test
  void aNewPasswordChangesTheAuthChecksumNotTheConfigChecksum() {
    TurboCache cr = sentinel();
    StatefulSet a = RedisStatefulSet.desired(cr, RedisAuthSecret.desired(cr, null));
    StatefulSet b = RedisStatefulSet.desired(cr, RedisAuthSecret.desired(cr, null));
    Map<String, String> x = a.getSpec().getTemplate().getMetadata().getAnnotations();
    Map<String, String> y = b.getSpec().getTemplate().getMetadata().getAnnotations();
    assertThat(x.get(RedisPods.AUTH_CHECKSUM)).isNotEqualTo(y.get(RedisPods.AUTH_CHECKSUM));
    assertThat(x.get(RedisPods.CONFIG_CHECKSUM)).isEqualTo(y.get(RedisPods.CONFIG_CHECKSUM));
  }
}
