package dev.turbocache.operator.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.turbocache.operator.LiveTurboCache;
import dev.turbocache.operator.OperatorSettings;
import dev.turbocache.operator.TestResources;
import dev.turbocache.operator.TurboCacheOperator;
import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.api.v1alpha1.spec.RedisTierSpec;
import dev.turbocache.operator.contract.UserSecrets;
import dev.turbocache.operator.kubeapi.Cluster;
import dev.turbocache.operator.kubeapi.OperatorIdentity;
import dev.turbocache.operator.kubeapi.RealApiServer;
import dev.turbocache.operator.kubeapi.RealApiServerExtension;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.Operator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * The production example (Sentinel mode) on a real API server with the operator in its production
 * configuration and the install manifest's RBAC: every Redis child appears, owned by the TurboCache;
 * the generated password is in its Secret only (no ConfigMap, no log line); and, since no kubelet
 * runs the pods here, RedisReady says so instead of claiming a Redis.
 */
@ExtendWith(RealApiServerExtension.class)
class RedisKubeApiIT {
  static final Duration RECONCILED = Duration.ofSeconds(60);

  @Test
  void theSentinelExampleGetsItsRedisSetAndSaysNoPodRunsYet(RealApiServer api) throws Exception {
    Cluster.Prepared cluster = Cluster.prepare(api, "redis");
    KubernetesClient admin = cluster.admin();
    OperatorIdentity identity = cluster.identity();
    String ns = cluster.namespace();
    TurboCache cr = TestResources.exampleTurboCaches().get("production.yaml/" + TestResources.NAME);
    assertThat(cr.getSpec().tiers.redis.mode).isEqualTo(RedisTierSpec.Mode.Sentinel);
    cr.getMetadata().setNamespace(ns);

    ListAppender<ILoggingEvent> log = captureLogs();
    try (KubernetesClient client = identity.client()) {
      Operator operator = TurboCacheOperator.create(client,
          new OperatorSettings(Set.of(ns), false, false, "unused", identity.namespace(), true, 0), null);
      operator.start();
      try {
        UserSecrets.createdByUser(cr).forEach(s -> Cluster.apply(admin, s));
        TurboCache created = Cluster.apply(admin, cr);
        LiveTurboCache live = new LiveTurboCache(admin, ns, TestResources.NAME);

        await().atMost(RECONCILED).untilAsserted(() -> {
          for (HasMetadata child : Arrays.asList(
              get(admin, StatefulSet.class, ns, "monorepo-redis"), get(admin, StatefulSet.class, ns, "monorepo-sentinel"),
              get(admin, Service.class, ns, "monorepo-redis-headless"), get(admin, Service.class, ns, "monorepo-sentinel-headless"),
              get(admin, Service.class, ns, "monorepo-sentinel"), get(admin, Secret.class, ns, "monorepo-redis-auth"),
              get(admin, ConfigMap.class, ns, "monorepo-redis-config"),
              get(admin, PodDisruptionBudget.class, ns, "monorepo-redis"),
              get(admin, PodDisruptionBudget.class, ns, "monorepo-sentinel"))) {
            assertThat(child).isNotNull();
            assertThat(child.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(o -> assertThat(o.getUid()).isEqualTo(created.getMetadata().getUid()));
          }
        });
        for (String headless : List.of("monorepo-redis-headless", "monorepo-sentinel-headless")) {
          assertThat(get(admin, Service.class, ns, headless).getSpec().getPublishNotReadyAddresses()).isTrue();
        }
        assertThat(get(admin, StatefulSet.class, ns, "monorepo-redis").getSpec().getReplicas()).isEqualTo(3);
        assertThat(get(admin, ConfigMap.class, ns, "monorepo-config").getData().get("config.yaml"))
            .contains("redis-sentinel://monorepo-sentinel." + ns + ".svc:26379/0?sentinelMasterId=turbocache-" + ns + "-monorepo");

        await().atMost(RECONCILED).until(() -> live.condition("RedisReady")
            .map(c -> c.getReason().equals("WaitingForPods")).orElse(false));
        assertThat(live.condition("RedisReady").orElseThrow().getMessage())
            .isEqualTo("none of the 3 Redis pods and 3 sentinels answers yet");
        assertThat(live.conditionIs("Ready", "False")).isTrue();
        assertThat(live.conditionIs("Degraded", "False")).as("a Redis still starting is not a fault").isTrue();
        assertThat(live.get().getStatus().redis.masters).isZero();

        String password = new String(Base64.getDecoder().decode(
            get(admin, Secret.class, ns, "monorepo-redis-auth").getData().get(RedisAuthSecret.PASSWORD_KEY)),
            StandardCharsets.UTF_8);
        assertThat(password).hasSize(40);
        for (ConfigMap c : admin.configMaps().inNamespace(ns).list().getItems()) {
          assertThat(Serialization.asYaml(c)).as("ConfigMap %s", c.getMetadata().getName()).doesNotContain(password);
        }
        assertThat(Serialization.asYaml(get(admin, StatefulSet.class, ns, "monorepo-redis"))).doesNotContain(password);

        // Disabled: the Redis children go
        TurboCache disabled = TestResources.exampleTurboCaches().get("production.yaml/" + TestResources.NAME);
        disabled.getMetadata().setNamespace(ns);
        disabled.getSpec().tiers.redis.mode = RedisTierSpec.Mode.Disabled;
        disabled.getSpec().tiers.redis.sentinel = null;
        Cluster.apply(admin, disabled);
        await().atMost(RECONCILED).until(() -> get(admin, StatefulSet.class, ns, "monorepo-redis") == null
            && get(admin, StatefulSet.class, ns, "monorepo-sentinel") == null
            && get(admin, Secret.class, ns, "monorepo-redis-auth") == null
            && live.condition("RedisReady").map(c -> c.getReason().equals("Disabled")).orElse(false));

        List<ILoggingEvent> events;
        synchronized (log) { // the appender appends under its own lock
          events = List.copyOf(log.list);
        }
        String everything = String.join("\n", events.stream().map(RedisKubeApiIT::format).toList());
        assertThat(events).as("the operator logged while it worked").isNotEmpty();
        assertThat(everything).as("the password never reaches the operator's log").doesNotContain(password);
      } finally {
        operator.stop();
      }
    } finally {
      release(log);
    }
  }

  static <T extends HasMetadata> T get(KubernetesClient client, Class<T> type, String ns, String name) {
    return client.resources(type).inNamespace(ns).withName(name).get();
  }

  /** Every log event of the operator and its libraries, at every level, for the duration of the test. */
  static ListAppender<ILoggingEvent> captureLogs() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.setContext(context);
    appender.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.addAppender(appender);
    context.getLogger("dev.turbocache").setLevel(Level.DEBUG);
    context.getLogger("io.javaoperatorsdk").setLevel(Level.DEBUG);
    return appender;
  }

  static void release(ListAppender<ILoggingEvent> appender) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(appender);
    context.getLogger("dev.turbocache").setLevel(Level.INFO);
    context.getLogger("io.javaoperatorsdk").setLevel(null);
  }

  static String format(ILoggingEvent e) {
    return e.getFormattedMessage() + (e.getThrowableProxy() == null ? "" : "\n" + ThrowableProxyUtil.asString(e.getThrowableProxy()));
  }
}
