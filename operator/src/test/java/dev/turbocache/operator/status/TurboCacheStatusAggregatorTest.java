package dev.turbocache.operator.status;

import static dev.turbocache.operator.TestResources.TOKENS_YAML;
import static dev.turbocache.operator.TestResources.minimal;
import static dev.turbocache.operator.TestResources.tokens;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turbocache.operator.TestResources;
import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.api.v1alpha1.TurboCacheStatus;
import dev.turbocache.operator.api.v1alpha1.spec.RedisTierSpec;
import dev.turbocache.operator.bucket.BucketObservation;
import dev.turbocache.operator.model.ResolvedSpec;
import dev.turbocache.operator.model.SettableClock;
import dev.turbocache.operator.redis.RedisObservation;
import dev.turbocache.operator.redis.TopologyVerdict;
import dev.turbocache.operator.server.ServerObservation;
import dev.turbocache.operator.server.ServerSecrets;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TurboCacheStatusAggregatorTest {
  final SettableClock clock = new SettableClock(Instant.parse("2026-11-22T10:00:00Z"));
  final TurboCacheStatusAggregator aggregator = new TurboCacheStatusAggregator(clock);

  static Deployment deployment(int replicas, int available, int updated, long generation, long observed) {
    return new DeploymentBuilder()
        .withNewMetadata().withName("monorepo").withGeneration(generation).endMetadata()
        .withNewSpec().withReplicas(replicas).endSpec()
        .withNewStatus().withReplicas(replicas).withReadyReplicas(available).withAvailableReplicas(available)
        .withUpdatedReplicas(updated).withObservedGeneration(observed).endStatus()
        .build();
  }

  /** The components as the reconciler observes them, from the Secrets and the Deployment. */
  static List<ComponentObservation> observation(TurboCache cr, ServerSecrets secrets, Deployment deployment) {
    ResolvedSpec spec = ResolvedSpec.of(cr);
    return observation(cr, secrets, deployment, null);
  }

  static List<ComponentObservation> observation(TurboCache cr, ServerSecrets secrets, Deployment deployment,
      TopologyVerdict redis) {
    ResolvedSpec spec = ResolvedSpec.of(cr);
    return List.of(new ServerObservation(cr, secrets, deployment), new RedisObservation(spec.redis(), secrets, redis),
        spec.s3() == null ? BucketObservation.none() : BucketObservation.external(cr, spec.s3()));
  }

  TurboCacheStatus aggregate(TurboCache cr, ServerSecrets secrets, Deployment deployment) {
    return aggregator.aggregate(cr, observation(cr, secrets, deployment), null);
  }

  static Condition cond(TurboCacheStatus s, String type) {
    return s.conditions.stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
  }

  @Test
  void readyWhenTheDeploymentIsAvailable() {
    TurboCache cr = minimal();
    cr.getMetadata().setGeneration(3L);
    TurboCacheStatus s = aggregate(cr, tokens(cr, TOKENS_YAML), deployment(2, 2, 2, 1, 1));
    assertThat(s.observedGeneration).isEqualTo(3L);
    assertThat(s.endpoint).isEqualTo("http://monorepo.build-infra.svc:80");
    assertThat(s.server.readyReplicas).isEqualTo(2);
    assertThat(s.conditions).extracting(Condition::getType)
        .containsExactly("Ready", "Progressing", "Degraded", "Paused", "ServerReady", "RedisReady", "BucketReady", "Warnings");
    assertThat(s.conditions).allSatisfy(c -> {
      assertThat(c.getObservedGeneration()).isEqualTo(3L);
      assertThat(c.getReason()).isNotBlank();
      assertThat(c.getMessage()).isNotBlank();
      assertThat(c.getLastTransitionTime()).isEqualTo("2026-11-22T10:00:00Z");
    });
    assertThat(cond(s, "Ready").getStatus()).isEqualTo("True");
    assertThat(cond(s, "ServerReady").getStatus()).isEqualTo("True");
    assertThat(cond(s, "Progressing").getStatus()).isEqualTo("False");
    assertThat(cond(s, "Degraded").getStatus()).isEqualTo("False");
    assertThat(cond(s, "Paused").getStatus()).isEqualTo("False");
  }

  @Test
  void progressingWhileRollingOut() {
    TurboCache cr = minimal();
    TurboCacheStatus s = aggregate(cr, tokens(cr, TOKENS_YAML), deployment(2, 2, 1, 2, 2));
    assertThat(cond(s, "Ready").getStatus()).isEqualTo("False");
    assertThat(cond(s, "Progressing").getStatus()).isEqualTo("True");
    assertThat(cond(s, "Progressing").getReason()).isEqualTo("RollingOut");
    s = aggregate(cr, tokens(cr, TOKENS_YAML), deployment(2, 2, 2, 2, 1));
    assertThat(cond(s, "ServerReady").getReason()).as("controller has not seen the new generation").isEqualTo("RollingOut");
    s = aggregate(cr, tokens(cr, TOKENS_YAML), null);
    assertThat(cond(s, "ServerReady").getReason()).isEqualTo("Creating");
  }

  @Test
  void missingTokensSecretIsDegradedAndNamesIt() {
    TurboCache cr = minimal();
    TurboCacheStatus s = aggregate(cr, ServerSecrets.observe(cr, List.of()), null);
    Condition degraded = cond(s, "Degraded");
    assertThat(degraded.getStatus()).isEqualTo("True");
    assertThat(degraded.getReason()).isEqualTo("TokensSecretMissing");
    assertThat(degraded.getMessage()).contains("turbo-tokens").contains("build-infra");
    assertThat(cond(s, "Ready").getStatus()).isEqualTo("False");
    assertThat(cond(s, "Ready").getMessage()).contains("turbo-tokens");
    assertThat(cond(s, "Progressing").getStatus()).isEqualTo("False");
  }

  @Test
  void secretWithoutTheKeyIsDegraded() {
    TurboCache cr = minimal();
    cr.getSpec().auth.tokensSecretRef.key = "other.yaml";
    TurboCacheStatus s = aggregate(cr, tokens(cr, TOKENS_YAML), null);
    assertThat(cond(s, "Degraded").getReason()).isEqualTo("TokensSecretInvalid");
    assertThat(cond(s, "Degraded").getMessage()).contains("other.yaml");
  }

  @Test
  void reconcileErrorsAreDegraded() {
    TurboCache cr = minimal();
    ReconcileFailure failure = new ReconcileFailure(ReconcileFailure.Reason.PermissionDenied, "forbidden: deployments");
    TurboCacheStatus s = aggregator.aggregate(cr, observation(cr, tokens(cr, TOKENS_YAML), null), failure);
    assertThat(cond(s, "Degraded").getReason()).isEqualTo("PermissionDenied");
    assertThat(cond(s, "Degraded").getMessage()).isEqualTo("forbidden: deployments");
    assertThat(cond(s, "Ready").getStatus()).isEqualTo("False");
  }

  @Test
  void pausedIsReported() {
    TurboCache cr = minimal();
    cr.getSpec().paused = true;
    TurboCacheStatus s = aggregate(cr, tokens(cr, TOKENS_YAML), deployment(2, 2, 2, 1, 1));
    assertThat(cond(s, "Paused").getStatus()).isEqualTo("True");
    assertThat(cond(s, "Paused").getReason()).isEqualTo("SpecPaused");
    assertThat(cond(s, "Progressing").getStatus()).isEqualTo("False");
    assertThat(cond(s, "Ready").getStatus()).isEqualTo("True");
  }

  @Test
  void lastTransitionTimeOnlyMovesOnATransition() {
    TurboCache cr = minimal();
    cr.setStatus(aggregate(cr, tokens(cr, TOKENS_YAML), deployment(2, 1, 2, 1, 1)));
    assertThat(cond(cr.getStatus(), "Ready").getStatus()).isEqualTo("False");

    clock.set(Instant.parse("2026-11-22T10:05:00Z"));
    cr.getMetadata().setGeneration(2L);
    TurboCacheStatus same = aggregate(cr, tokens(cr, TOKENS_YAML), deployment(2, 1, 2, 1, 1));
    assertThat(cond(same, "Ready").getLastTransitionTime()).isEqualTo("2026-11-22T10:00:00Z");
    assertThat(cond(same, "Ready").getObservedGeneration()).isEqualTo(2L);

    cr.setStatus(same);
    clock.set(Instant.parse("2026-11-22T10:10:00Z"));
    TurboCacheStatus flipped = aggregate(cr, tokens(cr, TOKENS_YAML), deployment(2, 2, 2, 1, 1));
    assertThat(cond(flipped, "Ready").getStatus()).isEqualTo("True");
    assertThat(cond(flipped, "Ready").getLastTransitionTime()).isEqualTo("2026-11-22T10:10:00Z");
    assertThat(cond(flipped, "Degraded").getLastTransitionTime()).isEqualTo("2026-11-22T10:00:00Z");
  }

  @Test
  void podTemplateOverridesOfOperatorOwnedFieldsAreWarningsThatDoNotBlockReady() {
    TurboCache cr = minimal();
    TurboCacheStatus clean = aggregate(cr, tokens(cr, TOKENS_YAML), deployment(2, 2, 2, 1, 1));
    assertThat(cond(clean, "Warnings").getStatus()).isEqualTo("False");

    cr.getSpec().server = new dev.turbocache.operator.api.v1alpha1.spec.ServerSpec();
    cr.getSpec().server.podTemplate = new dev.turbocache.operator.api.v1alpha1.spec.PodTemplateOverrides();
    cr.getSpec().server.podTemplate.metadata = new dev.turbocache.operator.api.v1alpha1.spec.PodTemplateOverrides.Metadata();
    cr.getSpec().server.podTemplate.metadata.labels = java.util.Map.of(
        "app.kubernetes.io/instance", "other", "app.kubernetes.io/name", "turbocache", "team", "build");
    cr.getSpec().server.podTemplate.metadata.annotations = java.util.Map.of("turbocache.dev/config-checksum", "pinned");
    TurboCacheStatus s = aggregate(cr, tokens(cr, TOKENS_YAML), deployment(2, 2, 2, 1, 1));

    Condition warnings = cond(s, "Warnings");
    assertThat(warnings.getStatus()).isEqualTo("True");
    assertThat(warnings.getReason()).isEqualTo("PodTemplateOverridesIgnored");
    assertThat(warnings.getMessage())
        .contains("spec.server.podTemplate.metadata.labels.app.kubernetes.io/instance is ignored")
        .contains("spec.server.podTemplate.metadata.annotations.turbocache.dev/config-checksum is ignored")
        .as("same value as the operator's: nothing overridden").doesNotContain("labels.app.kubernetes.io/name")
        .doesNotContain("team");
    assertThat(cond(s, "Ready").getStatus()).isEqualTo("True");
    assertThat(cond(s, "Degraded").getStatus()).isEqualTo("False");
  }

  static TopologyVerdict verdict(boolean ready, String reason, int masters) {
    return new TopologyVerdict(ready, reason, "the check said " + reason, masters == 1 ? "monorepo-redis-0" : null, masters,
        2, 2, 3, 3, masters > 1, List.of());
  }

  @Test
  void redisReadyFollowsTheModeAndAnOperatorManagedRedisIsRequiredForReady() {
    TurboCache disabled = minimal();
    Condition off = cond(aggregate(disabled, tokens(disabled, TOKENS_YAML), deployment(2, 2, 2, 1, 1)), "RedisReady");
    assertThat(off.getStatus()).isEqualTo("False");
    assertThat(off.getReason()).isEqualTo("Disabled");

    for (RedisTierSpec.Mode mode : List.of(RedisTierSpec.Mode.Sentinel, RedisTierSpec.Mode.Standalone)) {
      TurboCache cr = TestResources.withRedisMode(minimal(), mode);
      ServerSecrets secrets = ServerSecrets.observe(cr, List.of(TestResources.tokensSecret(TOKENS_YAML),
          TestResources.secret("monorepo-redis-auth", Map.of("password", "generated"))));
      TurboCacheStatus creating = aggregator.aggregate(cr, observation(cr, secrets, deployment(2, 2, 2, 1, 1), null), null);
      assertThat(cond(creating, "RedisReady").getReason()).as("%s", mode).isEqualTo("Creating");
      assertThat(cond(creating, "Ready").getStatus()).isEqualTo("False");
      assertThat(cond(creating, "Ready").getReason()).isEqualTo("RedisNotReady");
      assertThat(cond(creating, "Progressing").getStatus()).isEqualTo("True");
      assertThat(cond(creating, "Degraded").getStatus()).isEqualTo("False");

      TurboCacheStatus up = aggregator.aggregate(cr,
          observation(cr, secrets, deployment(2, 2, 2, 1, 1), verdict(true, "Available", 1)), null);
      assertThat(cond(up, "RedisReady").getStatus()).isEqualTo("True");
      assertThat(cond(up, "Ready").getStatus()).isEqualTo("True");
      assertThat(up.redis.master).isEqualTo("monorepo-redis-0");
      assertThat(up.redis.sentinelsReady).isEqualTo(3);
      assertThat(cond(up, "Warnings").getStatus()).isEqualTo("False");
    }

    TurboCache sentinel = TestResources.withRedisMode(minimal(), RedisTierSpec.Mode.Sentinel);
    ServerSecrets sentinelSecrets = ServerSecrets.observe(sentinel, List.of(TestResources.tokensSecret(TOKENS_YAML),
        TestResources.secret("monorepo-redis-auth", Map.of("password", "generated"))));
    TurboCacheStatus split = aggregator.aggregate(sentinel,
        observation(sentinel, sentinelSecrets, deployment(2, 2, 2, 1, 1), verdict(false, "TwoMasters", 2)), null);
    assertThat(cond(split, "Degraded").getStatus()).isEqualTo("True");
    assertThat(cond(split, "Degraded").getReason()).isEqualTo("RedisSplitBrain");
    assertThat(split.redis.masters).isEqualTo(2);

    TurboCache external = TestResources.withExternalRedis(minimal(), true);
    List<Secret> secrets = List.of(TestResources.tokensSecret(TOKENS_YAML), TestResources.secret(TestResources.REDIS_SECRET, Map.of("password", "p")));
    TurboCacheStatus s = aggregate(external, ServerSecrets.observe(external, secrets), deployment(2, 2, 2, 1, 1));
    assertThat(cond(s, "RedisReady").getStatus()).isEqualTo("True");
    assertThat(cond(s, "RedisReady").getReason()).isEqualTo("External");
    assertThat(cond(s, "RedisReady").getMessage()).doesNotContain(TestResources.REDIS_URI);
    assertThat(cond(s, "Warnings").getStatus()).isEqualTo("False");
  }

  @Test
  void aMissingTierSecretIsDegradedAndNamesTheField() {
    TurboCache cr = TestResources.withS3(TestResources.withExternalRedis(minimal(), true), TestResources.S3Auth.SECRET);
    TurboCacheStatus s = aggregate(cr, tokens(cr, TOKENS_YAML), deployment(2, 2, 2, 1, 1));
    Condition degraded = cond(s, "Degraded");
    assertThat(degraded.getStatus()).isEqualTo("True");
    assertThat(degraded.getReason()).isEqualTo("SecretMissing");
    assertThat(degraded.getMessage())
        .contains("Secret 'redis-auth' (spec.tiers.redis.external.passwordSecretRef) not found in namespace 'build-infra'")
        .contains("Secret 's3-keys' (spec.tiers.s3.credentials.secretRef) not found");
    assertThat(cond(s, "Ready").getStatus()).isEqualTo("False");
    assertThat(cond(s, "RedisReady").getReason()).isEqualTo("PasswordUnavailable");

    List<Secret> incomplete = List.of(
        TestResources.tokensSecret(TOKENS_YAML),
        TestResources.secret(TestResources.REDIS_SECRET, Map.of("password", "p")),
        TestResources.secret(TestResources.S3_SECRET, Map.of("AWS_ACCESS_KEY_ID", "id")));
    s = aggregate(cr, ServerSecrets.observe(cr, incomplete), deployment(2, 2, 2, 1, 1));
    assertThat(cond(s, "Degraded").getReason()).isEqualTo("SecretKeyMissing");
    assertThat(cond(s, "Degraded").getMessage()).isEqualTo("Secret 's3-keys' (spec.tiers.s3.credentials.secretRef) has no key 'AWS_SECRET_ACCESS_KEY'");
    assertThat(cond(s, "RedisReady").getStatus()).isEqualTo("True");
  }
}
