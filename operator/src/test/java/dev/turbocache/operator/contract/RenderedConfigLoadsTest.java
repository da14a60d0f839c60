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
import dev.turbocache.operator.api.v1alpha1.spec.ServerSpec;
import dev.turbocache.operator.api.v1alpha1.spec.TiersSpec;
import dev.turbocache.operator.dependent.ServerConfigMap;
import dev.turbocache.operator.dependent.ServerDeployment;
import dev.turbocache.operator.model.ResolvedSpec;
import dev.turbocache.operator.model.ServerConfig;
import dev.turbocache.operator.model.TokensSecret;
import dev.turbocache.server.auth.TokensFile;
import dev.turbocache.server.config.ByteSize;
import dev.turbocache.server.config.ConfigException;
import dev.turbocache.server.config.TurboCacheConfig;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
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
    return all.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
  }

  static TurboCache everyFeatureOn() {
    TurboCache cr = TestResources.minimal();
    ServerSpec server = new ServerSpec();
    server.writePolicy = ServerSpec.WritePolicy.WriteBack;
    server.maxArtifactSize = "3Gi";
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
    cr.getSpec().tiers = new TiersSpec();
    cr.getSpec().tiers.memory = new MemoryTierSpec();
    cr.getSpec().tiers.memory.maxSize = "256Mi";
    cr.getSpec().tiers.memory.maxArtifactSize = "4Mi";
    cr.getSpec().tiers.memory.ttl = "30m";
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
  void renderedConfigLoadsWithTheServersLoaderAndSaysWhatTheCrAsked(String name, TurboCache cr) {
    Secret secret = RenderedServerTurboTest.tokensSecret(cr);
    Deployment deployment = ServerDeployment.desired(cr, TokensSecret.observe(cr, secret));
    RenderedPod pod = RenderedPod.materialize(deployment, ServerConfigMap.desired(cr), secret, tmp);

    TurboCacheConfig config = pod.load();

    ResolvedSpec s = ResolvedSpec.of(cr);
    List<String> tiers = s.disk().enabled() ? List.of("memory", "disk") : List.of("memory");
    assertThat(config.storage().tiers()).isEqualTo(tiers);
    assertThat(config.storage().writePolicy()).isEqualTo(s.writePolicy().equals("WriteBack") ? "write-back" : "write-through");
    assertThat(config.server().maxArtifactSize()).isEqualTo(bytes(s.maxArtifactSize()));
    assertThat(config.storage().memory().maxSize()).isEqualTo(bytes(s.memory().maxSize()));
    assertThat(config.storage().memory().maxArtifactSize()).isEqualTo(bytes(s.memory().maxArtifactSize()));
    assertThat(config.auth().anonymousRead()).isEqualTo(s.anonymousRead());
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

  @Test
  void everyFeatureOnReallyChangesTheRenderedConfig() {
    // guards the parameterized test above against testing the defaults twice
    TurboCacheConfig defaults = load(TestResources.minimal());
    TurboCacheConfig all = load(everyFeatureOn());
    assertThat(all.storage().writePolicy()).isNotEqualTo(defaults.storage().writePolicy());
    assertThat(all.auth().anonymousRead()).isNotEqualTo(defaults.auth().anonymousRead());
    assertThat(all.server().publicUrl()).isNotEqualTo(defaults.server().publicUrl());
    assertThat(all.storage().memory().ttl()).isEqualTo(Duration.ofMinutes(30)).isNotEqualTo(defaults.storage().memory().ttl());
    assertThat(load(memoryOnly()).storage().tiers()).containsExactly("memory");
  }

  @Test
  void theExampleTokensSecretsParseWithTheServersTokensParser() {
    List<Secret> secrets = TestResources.examples().stream()
        .filter(d -> "Secret".equals(d.doc().path("kind").asText()))
        .map(d -> d.as(Secret.class))
        .toList();
    assertThat(secrets).isNotEmpty();
    for (Secret secret : secrets) {
      Map<String, String> data = new LinkedHashMap<>();
      if (secret.getStringData() != null) {
        data.putAll(secret.getStringData());
      }
      if (secret.getData() != null) {
        secret.getData().forEach((k, v) -> data.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
      }
      assertThat(data).containsKey("tokens.yaml");
      assertThat(TokensFile.parse(data.get("tokens.yaml"), secret.getMetadata().getName()).size()).isPositive();
    }
  }

  @Test
  void theLoaderIsStrictSoThisCheckCanFail() {
    TurboCache cr = TestResources.minimal();
    ConfigMap cm = ServerConfigMap.desired(cr);
    cm.getData().put(ServerConfig.CONFIG_FILE_NAME, cm.getData().get(ServerConfig.CONFIG_FILE_NAME).replace("storage:\n", "storage:\n  bogus: 1\n"));
    Secret secret = RenderedServerTurboTest.tokensSecret(cr);
    RenderedPod pod = RenderedPod.materialize(ServerDeployment.desired(cr, TokensSecret.observe(cr, secret)), cm, secret, tmp);

    assertThatThrownBy(pod::load).isInstanceOf(ConfigException.class).hasMessageContaining("storage.bogus");
  }

  @Test
  void aPathOutsideEveryVolumeMountIsRejected() {
    TurboCache cr = TestResources.minimal();
    Secret secret = RenderedServerTurboTest.tokensSecret(cr);
    Deployment deployment = ServerDeployment.desired(cr, TokensSecret.observe(cr, secret));
    deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getVolumeMounts().stream()
        .filter(m -> m.getMountPath().equals(ServerConfig.TOKENS_DIR))
        .forEach(m -> m.setMountPath("/etc/elsewhere"));

    assertThatThrownBy(() -> RenderedPod.materialize(deployment, ServerConfigMap.desired(cr), secret, tmp))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("auth.tokensFile");
  }

  private TurboCacheConfig load(TurboCache cr) {
    Secret secret = RenderedServerTurboTest.tokensSecret(cr);
    Path dir = tmp.resolve(String.valueOf(System.identityHashCode(cr)));
    return RenderedPod.materialize(ServerDeployment.desired(cr, TokensSecret.observe(cr, secret)), ServerConfigMap.desired(cr), secret, dir).load();
  }

  /** Kubernetes' reading of a quantity, so that a unit the server reads differently fails the test. */
  private static ByteSize bytes(String quantity) {
    return ByteSize.ofBytes(Quantity.getAmountInBytes(new Quantity(quantity)).longValueExact());
  }
}
