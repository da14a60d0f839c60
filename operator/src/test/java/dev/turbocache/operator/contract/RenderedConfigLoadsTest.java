package dev.turbocache.operator.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turbocache.operator.TestResources;
import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.api.v1alpha1.spec.AutoscalingSpec;
import dev.turbocache.operator.api.v1alpha1.spec.DiskTierSpec;
import dev.turbocache.operator.api.v1alpha1.spec.IngressSpec;
import dev.turbocache.operator.api.v1alpha1.spec.MemoryTierSpec;
import dev.turbocache.operator.api.v1alpha1.spec.NetworkPolicySpec;
import dev.turbocache.operator.api.v1alpha1.spec.RedisTierSpec;
import dev.turbocache.operator.api.v1alpha1.spec.S3EncryptionSpec;
import dev.turbocache.operator.api.v1alpha1.spec.S3TierSpec;
import dev.turbocache.operator.api.v1alpha1.spec.ServerSpec;
import dev.turbocache.operator.api.v1alpha1.spec.TiersSpec;
import dev.turbocache.operator.server.ServerConfigMap;
import dev.turbocache.operator.server.ServerDeployment;
import dev.turbocache.operator.model.ResolvedSpec;
import dev.turbocache.operator.server.SecretEnv;
import dev.turbocache.operator.server.ServerConfig;
import dev.turbocache.operator.server.ServerSecrets;
import dev.turbocache.server.auth.TokensFile;
import dev.turbocache.server.auth.jwt.RevokedIdsFile;
import dev.turbocache.server.config.ByteSize;
import dev.turbocache.server.config.ConfigException;
import dev.turbocache.server.config.DurationParser;
import dev.turbocache.server.config.TurboCacheConfig;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Cheap schema-drift check between operator and server: the config.yaml, env and mounts the operator
 * renders load with the server's own {@code ConfigLoader} (which rejects unknown keys), for every
 * example and with every optional feature on, and the loaded values are the ones the CR asked for.
 */
class RenderedConfigLoadsTest {
  @TempDir Path tmp;

  static Stream<Arguments> turboCaches() {
    Map<String, TurboCache> all = new LinkedHashMap<>(TestResources.exampleTurboCaches());
    all.put("every optional feature on", everyFeatureOn());
    all.put("memory tier only", memoryOnly());
    all.put("external redis with password", TestResources.withExternalRedis(TestResources.minimal(), true));
    all.put("external redis without password, write-back", writeBack(TestResources.withExternalRedis(TestResources.minimal(), false)));
    all.put("operator-managed sentinel redis", TestResources.withRedisMode(TestResources.minimal(), RedisTierSpec.Mode.Sentinel));
    all.put("operator-managed standalone redis", TestResources.withRedisMode(TestResources.minimal(), RedisTierSpec.Mode.Standalone));
    all.put("s3 with secret keys", TestResources.withS3(TestResources.minimal(), TestResources.S3Auth.SECRET));
    all.put("s3 with IRSA role", TestResources.withS3(TestResources.minimal(), TestResources.S3Auth.ROLE_ARN));
    all.put("s3 with pod identity", TestResources.withS3(TestResources.minimal(), TestResources.S3Auth.POD_IDENTITY));
    all.put("s3 default chain, memory only, write-back", writeBack(TestResources.withS3(memoryOnly(), TestResources.S3Auth.DEFAULT_CHAIN)));
    all.put("redis + s3 + every feature", TestResources.withS3(TestResources.withExternalRedis(everyFeatureOn(), true), TestResources.S3Auth.SECRET));
    all.put("managed s3 with SSE-KMS", sseKms(TestResources.withS3(TestResources.minimal(), TestResources.S3Auth.ROLE_ARN)));
    all.put("external s3 with SSE-S3 on a compatible endpoint", sseS3(TestResources.withS3(TestResources.minimal(), TestResources.S3Auth.SECRET)));
    return all.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
  }

  static TurboCache sseKms(TurboCache cr) {
    cr.getSpec().tiers.s3.provisioning = S3TierSpec.Provisioning.Managed;
    cr.getSpec().tiers.s3.encryption = new S3EncryptionSpec();
    cr.getSpec().tiers.s3.encryption.type = S3EncryptionSpec.Type.SSE_KMS;
    cr.getSpec().tiers.s3.encryption.kmsKeyId = "alias/turbo-cache";
    return cr;
  }

  static TurboCache sseS3(TurboCache cr) {
    cr.getSpec().tiers.s3.encryption = new S3EncryptionSpec();
    return cr;
  }

  static TurboCache writeBack(TurboCache cr) {
    if (cr.getSpec().server == null) {
      cr.getSpec().server = new ServerSpec();
    }
    cr.getSpec().server.writePolicy = ServerSpec.WritePolicy.WriteBack;
    return cr;
  }

  static TurboCache everyFeatureOn() {
    TurboCache cr = TestResources.minimal();
    ServerSpec server = new ServerSpec();
    server.writePolicy = ServerSpec.WritePolicy.WriteBack;
    server.maxArtifactSize = "3Gi";
    // the longest the CRD allows, which the server must accept
    server.idleTimeout = "24d";
    server.firstRequestTimeout = "24d";
    server.logLevel = ServerSpec.LogLevel.debug;
    server.autoscaling = new AutoscalingSpec();
    server.ingress = new IngressSpec();
    server.ingress.enabled = true;
    server.ingress.host = "turbo.example.com";
    server.ingress.tls = new IngressSpec.Tls();
    server.ingress.tls.secretName = "turbo-tls";
    cr.getSpec().server = server;
    cr.getSpec().auth.anonymousRead = true;
    cr.getSpec().auth.tokensSecretRef.key = "custom-key.yaml";
    cr.getSpec().auth.jwt = TestResources.githubActionsJwt();
    // the longest id the CRD allows, which the server must accept
    cr.getSpec().auth.jwt.revokedTokenIds = List.of("leaked-job-1", "x".repeat(256));
    cr.getSpec().tiers = new TiersSpec();
    cr.getSpec().tiers.memory = new MemoryTierSpec();
    cr.getSpec().tiers.memory.maxSize = "256Mi";
    cr.getSpec().tiers.memory.maxArtifactSize = "4Mi";
    cr.getSpec().tiers.memory.ttl = "30m";
    cr.getSpec().tiers.memory.storeUploads = true;
    cr.getSpec().tiers.disk = new DiskTierSpec();
    cr.getSpec().tiers.disk.size = "100Gi";
    cr.getSpec().tiers.disk.storageClassName = "fast-ssd";
    cr.getSpec().networkPolicy = new NetworkPolicySpec();
    cr.getSpec().networkPolicy.enabled = true;
    return cr;
  }

  static TurboCache memoryOnly() {
    TurboCache cr = TestResources.minimal();
    cr.getSpec().tiers = new TiersSpec();
    cr.getSpec().tiers.disk = new DiskTierSpec();
    cr.getSpec().tiers.disk.enabled = false;
    return cr;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("turboCaches")
  void renderedConfigLoadsWithTheServersLoaderAndSaysWhatTheCrAsked(String name, TurboCache cr) throws Exception {
    List<Secret> secrets = UserSecrets.of(cr);
    Deployment deployment = ServerDeployment.desired(cr, ServerSecrets.observe(cr, secrets));
    ConfigMap configMap = ServerConfigMap.desired(cr);
    RenderedPod pod = RenderedPod.materialize(deployment, configMap, secrets, tmp);

    TurboCacheConfig config = pod.load();

    ResolvedSpec s = ResolvedSpec.of(cr);
    List<String> tiers = new ArrayList<>(List.of("memory"));
    if (s.disk().enabled()) {
      tiers.add("disk");
    }
    if (s.redis().mode() != RedisTierSpec.Mode.Disabled) {
      tiers.add("redis");
    }
    if (s.s3() != null) {
      tiers.add("s3");
    }
    assertThat(config.storage().tiers()).isEqualTo(tiers);
    assertRedis(config.storage().redis(), s, tiers.contains("redis"));
    assertS3(config.storage().s3(), s);
    String rendered = configMap.getData().get(ServerConfig.CONFIG_FILE_NAME);
    assertThat(UserSecrets.VALUES.values()).as("no secret value in the ConfigMap").noneMatch(rendered::contains);
    assertThat(rendered).doesNotContain("password").doesNotContain("accessKeyId").doesNotContain("secretAccessKey");
    assertThat(config.storage().writePolicy()).isEqualTo(s.writePolicy() == ServerSpec.WritePolicy.WriteBack ? "write-back" : "write-through");
    assertThat(config.server().maxArtifactSize()).isEqualTo(bytes(s.maxArtifactSize()));
    assertThat(config.server().idleTimeout()).as("server.idleTimeout, the server's default when unset")
        .isEqualTo(s.idleTimeout() == null ? Duration.ofSeconds(620) : DurationParser.parse(s.idleTimeout()));
    assertThat(config.server().firstRequestTimeout()).as("server.firstRequestTimeout, the server's default when unset")
        .isEqualTo(s.firstRequestTimeout() == null ? Duration.ofSeconds(60) : DurationParser.parse(s.firstRequestTimeout()));
    assertThat(config.storage().memory().maxSize()).isEqualTo(bytes(s.memory().maxSize()));
    assertThat(config.storage().memory().maxArtifactSize()).isEqualTo(bytes(s.memory().maxArtifactSize()));
    assertThat(config.auth().anonymousRead()).isEqualTo(s.anonymousRead());
    var jwt = cr.getSpec().auth.jwt;
    assertThat(config.auth().jwt().issuers()).extracting(i -> i.issuer())
        .isEqualTo(jwt == null ? List.of() : jwt.issuers.stream().map(i -> i.issuer).toList());
    if (jwt != null) {
      var issuer = config.auth().jwt().issuers().getFirst();
      assertThat(issuer.audiences()).isEqualTo(jwt.issuers.getFirst().audiences);
      assertThat(issuer.clockSkew()).isEqualTo(DurationParser.parse(jwt.issuers.getFirst().clockSkew));
      assertThat(issuer.httpTimeout()).isEqualTo(DurationParser.parse(jwt.issuers.getFirst().httpTimeout));
      assertThat(issuer.rules()).extracting(r -> r.access()).containsExactly("readwrite", "read");
      assertThat(issuer.rules().getFirst().match()).containsEntry("ref", List.of("refs/heads/main"));
      assertThat(config.auth().jwt().revokedIdsFile()).as("auth.jwt.revokedIdsFile")
          .isEqualTo(RenderedPod.map(tmp, ServerConfig.REVOKED_IDS_FILE));
      assertThat(RevokedIdsFile.parse(Files.readAllBytes(config.auth().jwt().revokedIdsFile()), "the rendered file"))
          .as("the ids the server reads from it").containsExactlyElementsOf(jwt.revokedTokenIds == null ? List.of() : jwt.revokedTokenIds);
    }
    assertThat(config.logging().level()).isEqualTo(s.logLevel());
    assertThat(config.auth().tokensFile()).isEqualTo(RenderedPod.map(tmp, ServerConfig.TOKENS_FILE));
    assertThat(TokensFile.read(config.auth().tokensFile()).size()).isEqualTo(1);
    assertThat(config.server().dataDir()).isEqualTo(RenderedPod.map(tmp, ServerConfig.DATA_DIR));
    if (s.disk().enabled()) {
      assertThat(config.storage().disk().path()).isEqualTo(RenderedPod.map(tmp, ServerConfig.DISK_PATH));
      assertThat(config.storage().disk().maxSize().bytes())
          .isLessThan(Quantity.getAmountInBytes(new Quantity(s.disk().size())).longValueExact());
    }
    if (s.ingress() != null) {
      assertThat(config.server().publicUrl()).isEqualTo("https://turbo.example.com");
    }
  }

  private static void assertRedis(TurboCacheConfig.Redis redis, ResolvedSpec s, boolean tier) {
    if (!tier) {
      assertThat(redis.uri()).as("no redis uri without the tier").isNullOrEmpty();
      return;
    }
    assertThat(redis.uri()).isEqualTo(switch (s.redis().mode()) {
      case Sentinel -> "redis-sentinel://monorepo-sentinel.build-infra.svc:26379/0?sentinelMasterId=turbocache-build-infra-monorepo";
      case Standalone -> "redis://monorepo-redis.build-infra.svc:6379/0";
      default -> s.redis().uri();
    });
    if (s.redis().sentinel()) {
      assertThat(redis.sentinelPassword()).as("the sentinels require the Redis password")
          .isEqualTo(UserSecrets.VALUES.get(SecretEnv.REDIS_SENTINEL_PASSWORD));
    } else {
      assertThat(redis.sentinelPassword()).isNullOrEmpty();
    }
    assertThat(redis.ttl()).isEqualTo(DurationParser.parse(s.redis().ttl()));
    assertThat(redis.maxArtifactSize()).isEqualTo(bytes(s.redis().maxArtifactSize()));
    assertThat(redis.keyPrefix()).isEqualTo("turbocache:build-infra:monorepo:");
    if (s.redis().passwordSecretName() != null) {
      assertThat(redis.password()).as("from the Secret, through the environment").isEqualTo(UserSecrets.VALUES.get(SecretEnv.REDIS_PASSWORD));
    } else {
      assertThat(redis.password()).isNullOrEmpty();
    }
  }

  private static void assertS3(TurboCacheConfig.S3 s3, ResolvedSpec s) {
    if (s.s3() == null) {
      assertThat(s3.bucket()).as("no bucket without the tier").isNullOrEmpty();
      return;
    }
    assertThat(s3.bucket()).isEqualTo(s.s3().bucket());
    assertThat(s3.region()).isEqualTo(s.s3().region() == null ? "us-east-1" : s.s3().region());
    assertThat(s3.prefix()).isEqualTo(s.s3().prefix());
    assertThat(s3.forcePathStyle()).isEqualTo(s.s3().forcePathStyle());
    if (s.s3().endpoint() != null) {
      assertThat(s3.endpoint()).isEqualTo(s.s3().endpoint());
    } else {
      assertThat(s3.endpoint()).isNullOrEmpty();
    }
    assertThat(s3.checksums()).as("S3-compatible stores get checksums only where required")
        .isEqualTo(s.s3().endpoint() != null ? "when-required" : "when-supported");
    ResolvedSpec.Encryption encryption = s.s3().encryption();
    boolean kms = encryption != null && encryption.type() == S3EncryptionSpec.Type.SSE_KMS;
    assertThat(s3.serverSideEncryption()).isEqualTo(encryption == null ? null : kms ? "aws:kms" : "AES256");
    assertThat(s3.kmsKeyId()).isEqualTo(kms ? encryption.kmsKeyId() : null);
    if (s.s3().credentialsSecretName() != null) {
      assertThat(s3.accessKeyId()).isEqualTo(UserSecrets.VALUES.get(SecretEnv.S3_ACCESS_KEY_ID));
      assertThat(s3.secretAccessKey()).isEqualTo(UserSecrets.VALUES.get(SecretEnv.S3_SECRET_ACCESS_KEY));
    } else {
      assertThat(s3.accessKeyId()).as("default AWS chain (IRSA, Pod Identity)").isNullOrEmpty();
      assertThat(s3.secretAccessKey()).isNullOrEmpty();
    }
  }

  @Test
  void everyFeatureOnReallyChangesTheRenderedConfig() {
    // guards the parameterized test above against testing the defaults twice
    TurboCacheConfig defaults = load(TestResources.minimal());
    TurboCacheConfig all = load(everyFeatureOn());
    assertThat(all.storage().writePolicy()).isNotEqualTo(defaults.storage().writePolicy());
    assertThat(all.auth().anonymousRead()).isNotEqualTo(defaults.auth().anonymousRead());
    assertThat(all.server().publicUrl()).isNotEqualTo(defaults.server().publicUrl());
    assertThat(all.storage().memory().ttl()).isEqualTo(Duration.ofMinutes(30)).isNotEqualTo(defaults.storage().memory().ttl());
    assertThat(all.storage().memory().storeUploads()).isTrue().isNotEqualTo(defaults.storage().memory().storeUploads());
    assertThat(load(memoryOnly()).storage().tiers()).containsExactly("memory");
  }

  /** The examples' Secrets are complete: every TurboCache finds its tokens and every referenced key. */
  @Test
  void theExampleSecretsHoldWhatTheExampleTurboCachesReference() {
    List<Secret> secrets = TestResources.examples().stream()
        .filter(d -> "Secret".equals(d.doc().path("kind").asText()))
        .map(d -> d.as(Secret.class))
        .toList();
    assertThat(secrets).isNotEmpty();
    Map<String, TurboCache> examples = TestResources.exampleTurboCaches();
    assertThat(examples.values()).anySatisfy(cr -> assertThat(ServerSecrets.observe(cr, secrets).env()).isNotEmpty());
    examples.forEach((name, cr) -> {
      ServerSecrets observed = ServerSecrets.observe(cr, secrets);
      assertThat(observed.envProblems()).as(name).isEmpty();
      assertThat(observed.tokens().usable()).as("%s: %s", name, observed.tokens().problem()).isTrue();
      Secret tokens = secrets.stream()
          .filter(x -> x.getMetadata().getName().equals(observed.tokens().name())
              && x.getMetadata().getNamespace().equals(cr.getMetadata().getNamespace()))
          .findFirst().orElseThrow();
      String yaml = plain(tokens).get(observed.tokens().key());
      assertThat(TokensFile.parse(yaml, tokens.getMetadata().getName()).size()).as(name).isPositive();
    });
  }

  private static Map<String, String> plain(Secret secret) {
    Map<String, String> data = new LinkedHashMap<>();
    if (secret.getStringData() != null) {
      data.putAll(secret.getStringData());
    }
    if (secret.getData() != null) {
      secret.getData().forEach((k, v) -> data.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    }
    return data;
  }

  @Test
  void theLoaderIsStrictSoThisCheckCanFail() {
    TurboCache cr = TestResources.minimal();
    ConfigMap cm = ServerConfigMap.desired(cr);
    cm.getData().put(ServerConfig.CONFIG_FILE_NAME, cm.getData().get(ServerConfig.CONFIG_FILE_NAME).replace("storage:\n", "storage:\n  bogus: 1\n"));
    List<Secret> secrets = UserSecrets.of(cr);
    RenderedPod pod = RenderedPod.materialize(ServerDeployment.desired(cr, ServerSecrets.observe(cr, secrets)), cm, secrets, tmp);

    assertThatThrownBy(pod::load).isInstanceOf(ConfigException.class).hasMessageContaining("storage.bogus");
  }

  @Test
  void aPathOutsideEveryVolumeMountIsRejected() {
    TurboCache cr = TestResources.minimal();
    List<Secret> secrets = UserSecrets.of(cr);
    Deployment deployment = ServerDeployment.desired(cr, ServerSecrets.observe(cr, secrets));
    deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getVolumeMounts().stream()
        .filter(m -> m.getMountPath().equals(ServerConfig.TOKENS_DIR))
        .forEach(m -> m.setMountPath("/etc/elsewhere"));

    assertThatThrownBy(() -> RenderedPod.materialize(deployment, ServerConfigMap.desired(cr), secrets, tmp))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("auth.tokensFile");
  }

  private TurboCacheConfig load(TurboCache cr) {
    return RenderedPod.of(cr, tmp.resolve(String.valueOf(System.identityHashCode(cr)))).load();
  }

  /** Kubernetes' reading of a quantity, so that a unit the server reads differently fails the test. */
  private static ByteSize bytes(String quantity) {
    return ByteSize.ofBytes(Quantity.getAmountInBytes(new Quantity(quantity)).longValueExact());
  }
}
