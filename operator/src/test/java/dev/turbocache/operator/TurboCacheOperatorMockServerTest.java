package dev.turbocache.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.api.v1alpha1.spec.AutoscalingSpec;
import dev.turbocache.operator.api.v1alpha1.spec.IngressSpec;
import dev.turbocache.operator.api.v1alpha1.spec.NetworkPolicySpec;
import dev.turbocache.operator.api.v1alpha1.spec.PodDisruptionBudgetSpec;
import dev.turbocache.operator.api.v1alpha1.spec.ServerSpec;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.Operator;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole operator (informers, managed workflow, status patches) against the Fabric8 mock API
 * server in CRUD mode. The mock server has no SSA (it answers 415), so SSA is switched off, and no
 * controllers: the test plays the Deployment controller by writing the Deployment status itself.
 */
@EnableKubernetesMockClient(crud = true)
class TurboCacheOperatorMockServerTest {
  static final AtomicInteger NAMESPACES = new AtomicInteger();
  static KubernetesClient client;

  String ns;
  Operator operator;

  @BeforeEach
  void startOperator() {
    ns = "test-" + NAMESPACES.incrementAndGet();
    OperatorSettings settings = new OperatorSettings(Set.of(ns), false, false, "unused", ns, false, 0);
    operator = TurboCacheOperator.create(client, settings, null);
    operator.start();
    await().atMost(Duration.ofSeconds(30)).until(() -> operator.getRuntimeInfo().allEventSourcesAreHealthy());
  }

  @AfterEach
  void stopOperator() {
    operator.stop();
  }

  TurboCache newCr() {
    TurboCache cr = TestResources.minimal();
    cr.getMetadata().setNamespace(ns);
    cr.getMetadata().setGeneration(null);
    return cr;
  }

  void createTokensSecret() {
    Secret secret = TestResources.tokensSecret(TestResources.TOKENS_YAML);
    secret.getMetadata().setNamespace(ns);
    client.resource(secret).create();
  }

  TurboCache cr() {
    return client.resources(TurboCache.class).inNamespace(ns).withName(TestResources.NAME).get();
  }

  TurboCache editSpec(UnaryOperator<TurboCache> edit) {
    return client.resources(TurboCache.class).inNamespace(ns).withName(TestResources.NAME).edit(edit);
  }

  <T extends HasMetadata> T child(Class<T> type, String name) {
    return client.resources(type).inNamespace(ns).withName(name).get();
  }

  LiveTurboCache live() {
    return new LiveTurboCache(client, ns, TestResources.NAME);
  }

  Optional<Condition> condition(String type) {
    return live().condition(type);
  }

  boolean conditionIs(String type, String status) {
    return live().conditionIs(type, status);
  }

  boolean statusCurrent() {
    return live().statusCurrent();
  }

  void markDeploymentAvailable() {
    live().markDeploymentAvailable();
  }

  static String checksum(Deployment d) {
    return LiveTurboCache.checksum(d);
  }

  @Test
  void createsChildrenWithOwnerReferencesAndBecomesReady() {
    createTokensSecret();
    TurboCache created = client.resource(newCr()).create();

    await().untilAsserted(() -> {
      for (HasMetadata child : new HasMetadata[] {
          child(ServiceAccount.class, "monorepo"),
          child(ConfigMap.class, "monorepo-config"),
          child(Deployment.class, "monorepo"),
          child(Service.class, "monorepo"),
          child(Service.class, "monorepo-metrics"),
          child(PodDisruptionBudget.class, "monorepo")}) {
        assertThat(child).isNotNull();
        assertThat(child.getMetadata().getOwnerReferences()).singleElement().satisfies((OwnerReference o) -> {
          assertThat(o.getKind()).isEqualTo("TurboCache");
          assertThat(o.getUid()).isEqualTo(created.getMetadata().getUid());
        });
        assertThat(child.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "turbocache-operator")
            .doesNotContainKey("team");
      }
    });
    assertThat(child(Ingress.class, "monorepo")).isNull();
    assertThat(child(HorizontalPodAutoscaler.class, "monorepo")).isNull();
    assertThat(child(NetworkPolicy.class, "monorepo")).isNull();

    await().until(() -> conditionIs("Progressing", "True"));
    assertThat(cr().getStatus().endpoint).isEqualTo("http://monorepo." + ns + ".svc:80");
    assertThat(conditionIs("Ready", "False")).isTrue();

    markDeploymentAvailable();
    await().until(() -> conditionIs("Ready", "True"));
    assertThat(conditionIs("ServerReady", "True")).isTrue();
    assertThat(conditionIs("Degraded", "False")).isTrue();
    assertThat(cr().getStatus().server.availableReplicas).isEqualTo(2);
    assertThat(statusCurrent()).isTrue();
  }

  @Test
  void specChangeUpdatesTheDeploymentAndMovesTheChecksum() {
    createTokensSecret();
    client.resource(newCr()).create();
    await().until(() -> child(Deployment.class, "monorepo") != null && statusCurrent());
    String before = checksum(child(Deployment.class, "monorepo"));

    editSpec(cr -> {
      cr.getSpec().server = new ServerSpec();
      cr.getSpec().server.maxArtifactSize = "1Gi";
      cr.getSpec().server.replicas = 3;
      return cr;
    });

    await().untilAsserted(() -> {
      Deployment d = child(Deployment.class, "monorepo");
      assertThat(d.getSpec().getReplicas()).isEqualTo(3);
      assertThat(checksum(d)).isNotEqualTo(before);
      assertThat(child(ConfigMap.class, "monorepo-config").getData().get("config.yaml")).contains("maxArtifactSize: 1Gi");
    });
  }

  @Test
  void missingTokensSecretIsDegradedUntilItAppears() {
    client.resource(newCr()).create();
    await().until(() -> conditionIs("Degraded", "True"));
    Condition degraded = condition("Degraded").orElseThrow();
    assertThat(degraded.getReason()).isEqualTo("TokensSecretMissing");
    assertThat(degraded.getMessage()).contains("turbo-tokens");
    assertThat(conditionIs("Ready", "False")).isTrue();
    await().until(() -> child(Deployment.class, "monorepo") != null);
    String withoutTokens = checksum(child(Deployment.class, "monorepo"));

    createTokensSecret();
    await().until(() -> conditionIs("Degraded", "False"));
    assertThat(checksum(child(Deployment.class, "monorepo"))).as("the pods start once the kubelet can mount it")
        .isEqualTo(withoutTokens);

    markDeploymentAvailable();
    await().until(() -> conditionIs("Ready", "True"));
  }

  @Test
  void pausedStopsChangesToChildren() {
    createTokensSecret();
    client.resource(newCr()).create();
    await().until(() -> child(Deployment.class, "monorepo") != null && statusCurrent());
    Deployment before = child(Deployment.class, "monorepo");
    String configBefore = child(ConfigMap.class, "monorepo-config").getData().get("config.yaml");

    editSpec(cr -> {
      cr.getSpec().paused = true;
      cr.getSpec().server = new ServerSpec();
      cr.getSpec().server.replicas = 7;
      cr.getSpec().server.maxArtifactSize = "1Gi";
      cr.getSpec().podDisruptionBudget = new PodDisruptionBudgetSpec();
      cr.getSpec().podDisruptionBudget.enabled = false;
      return cr;
    });

    await().until(() -> conditionIs("Paused", "True") && statusCurrent());
    assertThat(condition("Paused").orElseThrow().getReason()).isEqualTo("SpecPaused");
    Deployment after = child(Deployment.class, "monorepo");
    assertThat(after.getSpec().getReplicas()).isEqualTo(2);
    assertThat(after.getMetadata().getResourceVersion()).isEqualTo(before.getMetadata().getResourceVersion());
    assertThat(child(ConfigMap.class, "monorepo-config").getData().get("config.yaml")).isEqualTo(configBefore);
    assertThat(child(PodDisruptionBudget.class, "monorepo")).isNotNull();

    editSpec(cr -> {
      cr.getSpec().paused = false;
      return cr;
    });
    await().untilAsserted(() -> {
      assertThat(child(Deployment.class, "monorepo").getSpec().getReplicas()).isEqualTo(7);
      assertThat(child(PodDisruptionBudget.class, "monorepo")).isNull();
    });
    // the children change before the status that says so is patched
    await().until(() -> conditionIs("Paused", "False"));
  }

  @Test
  void optionalChildrenFollowTheirFeatureSwitches() {
    createTokensSecret();
    TurboCache cr = newCr();
    cr.getSpec().server = new ServerSpec();
    cr.getSpec().server.ingress = new IngressSpec();
    cr.getSpec().server.ingress.enabled = true;
    cr.getSpec().server.ingress.host = "turbo.example.com";
    cr.getSpec().server.autoscaling = new AutoscalingSpec();
    cr.getSpec().server.autoscaling.maxReplicas = 6;
    cr.getSpec().networkPolicy = new NetworkPolicySpec();
    cr.getSpec().networkPolicy.enabled = true;
    client.resource(cr).create();

    await().untilAsserted(() -> {
      assertThat(child(Ingress.class, "monorepo")).isNotNull();
      assertThat(child(HorizontalPodAutoscaler.class, "monorepo")).isNotNull();
      assertThat(child(NetworkPolicy.class, "monorepo")).isNotNull();
      assertThat(child(PodDisruptionBudget.class, "monorepo")).isNotNull();
      assertThat(child(Deployment.class, "monorepo").getSpec().getReplicas()).isNull();
    });

    editSpec(c -> {
      c.getSpec().server.ingress.enabled = false;
      c.getSpec().server.autoscaling = null;
      c.getSpec().networkPolicy.enabled = false;
      c.getSpec().podDisruptionBudget = new PodDisruptionBudgetSpec();
      c.getSpec().podDisruptionBudget.enabled = false;
      return c;
    });

    await().untilAsserted(() -> {
      assertThat(child(Ingress.class, "monorepo")).isNull();
      assertThat(child(HorizontalPodAutoscaler.class, "monorepo")).isNull();
      assertThat(child(NetworkPolicy.class, "monorepo")).isNull();
      assertThat(child(PodDisruptionBudget.class, "monorepo")).isNull();
      assertThat(child(Deployment.class, "monorepo").getSpec().getReplicas()).isEqualTo(2);
    });
  }

  @Test
  void referencedTierSecretsAreWatchedAndRollThePods() {
    createTokensSecret();
    TurboCache cr = TestResources.withExternalRedis(newCr(), true);
    client.resource(cr).create();
    await().until(() -> conditionIs("Degraded", "True") && statusCurrent());
    assertThat(condition("Degraded").orElseThrow().getReason()).isEqualTo("SecretMissing");
    assertThat(condition("Degraded").orElseThrow().getMessage()).contains("redis-auth");
    await().until(() -> child(Deployment.class, "monorepo") != null);
    String withoutPassword = checksum(child(Deployment.class, "monorepo"));

    Secret password = TestResources.secret(TestResources.REDIS_SECRET, java.util.Map.of("password", "first"));
    password.getMetadata().setNamespace(ns);
    client.resource(password).create();
    await().until(() -> conditionIs("Degraded", "False") && conditionIs("RedisReady", "True"));
    await().until(() -> !checksum(child(Deployment.class, "monorepo")).equals(withoutPassword));
    String first = checksum(child(Deployment.class, "monorepo"));

    client.resources(Secret.class).inNamespace(ns).withName(TestResources.REDIS_SECRET)
        .edit(s -> {
          s.setData(TestResources.secret(TestResources.REDIS_SECRET, java.util.Map.of("password", "second")).getData());
          return s;
        });
    await().until(() -> !checksum(child(Deployment.class, "monorepo")).equals(first));
    assertThat(child(ConfigMap.class, "monorepo-config").getData().get("config.yaml")).doesNotContain("first").doesNotContain("second");
  }
}
