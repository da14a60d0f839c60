package dev.turbocache.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.controller.TurboCacheReconciler;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * How OperatorMain wires the runtime: leader election (Lease name and namespace), the watched
 * namespaces from TURBOCACHE_WATCH_NAMESPACES, and the operator's own HTTP endpoints over HTTP.
 */
@EnableKubernetesMockClient(crud = true)
class OperatorRuntimeTest {
  static KubernetesClient client;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  static Operator create(Map<String, String> env) {
    return TurboCacheOperator.create(client, OperatorSettings.fromEnv(env), null);
  }

  static InformerConfiguration<?> informer(Operator operator) {
    return operator.getRegisteredController(TurboCacheReconciler.NAME).orElseThrow().getConfiguration().getInformerConfig();
  }

  @Test
  void leaderElectionHoldsTheConfiguredLeaseInTheOperatorsNamespace() {
    LeaderElectionConfiguration lease =
        create(Map.of("POD_NAMESPACE", "turbocache-system", "TURBOCACHE_LEASE_NAME", "tc-lease"))
            .getConfigurationService().getLeaderElectionConfiguration().orElseThrow();
    assertThat(lease.getLeaseName()).isEqualTo("tc-lease");
    assertThat(lease.getLeaseNamespace()).hasValue("turbocache-system");

    LeaderElectionConfiguration defaults =
        create(Map.of("POD_NAMESPACE", "ops")).getConfigurationService().getLeaderElectionConfiguration().orElseThrow();
    assertThat(defaults.getLeaseName()).isEqualTo(OperatorSettings.DEFAULT_LEASE_NAME);
    assertThat(defaults.getLeaseNamespace()).hasValue("ops");
  }

  @Test
  void withoutPodNamespaceTheLeaseFallsBackToTheClientsNamespace() {
    assertThat(create(Map.of()).getConfigurationService().getLeaderElectionConfiguration().orElseThrow().getLeaseNamespace())
        .hasValue(client.getNamespace());
  }

  @Test
  void leaderElectionCanBeSwitchedOff() {
    assertThat(create(Map.of("TURBOCACHE_LEADER_ELECTION", "false")).getConfigurationService().getLeaderElectionConfiguration())
        .isEmpty();
  }

  /** Started by hand (java -jar) with a kubeconfig that names no namespace: the Lease and "own" use "default". */
  @Test
  void withoutAnyNamespaceTheOperatorUsesDefault() {
    Config noNamespace = new ConfigBuilder(Config.empty()).withMasterUrl(client.getConfiguration().getMasterUrl()).build();
    try (KubernetesClient bare = new KubernetesClientBuilder().withConfig(noNamespace).build()) {
      assertThat(bare.getNamespace()).isNull();
      assertThat(TurboCacheOperator.create(bare, OperatorSettings.fromEnv(Map.of()), null)
              .getConfigurationService().getLeaderElectionConfiguration().orElseThrow().getLeaseNamespace())
          .hasValue(TurboCacheOperator.FALLBACK_NAMESPACE);
      assertThat(informer(TurboCacheOperator.create(
              bare, OperatorSettings.fromEnv(Map.of("TURBOCACHE_LEADER_ELECTION", "false", "TURBOCACHE_WATCH_NAMESPACES", "own")), null))
              .getNamespaces())
          .containsExactly(TurboCacheOperator.FALLBACK_NAMESPACE);
    }
  }

  @Test
  void watchedNamespacesAllListAndOwn() {
    Map<String, String> base = Map.of("TURBOCACHE_LEADER_ELECTION", "false", "POD_NAMESPACE", "turbocache-system");

    InformerConfiguration<?> all = informer(create(base));
    assertThat(all.watchAllNamespaces()).isTrue();

    InformerConfiguration<?> list = informer(create(with(base, "TURBOCACHE_WATCH_NAMESPACES", " ci , build-infra ")));
    assertThat(list.watchAllNamespaces()).isFalse();
    assertThat(list.getNamespaces()).containsExactlyInAnyOrder("ci", "build-infra");

    InformerConfiguration<?> own = informer(create(with(base, "TURBOCACHE_WATCH_NAMESPACES", "own")));
    assertThat(own.getNamespaces()).containsExactly("turbocache-system");
  }

  @Test
  void healthAndMetricsAreServedOverHttp() throws Exception {
    String ns = "runtime-http";
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    OperatorSettings settings = OperatorSettings.fromEnv(Map.of(
        "TURBOCACHE_LEADER_ELECTION", "false", "TURBOCACHE_SERVER_SIDE_APPLY", "false",
        "TURBOCACHE_WATCH_NAMESPACES", ns, "TURBOCACHE_HTTP_PORT", "0"));
    Operator operator = TurboCacheOperator.create(client, settings, MicrometerMetrics.withoutPerResourceMetrics(registry));
    OperatorHttpServer server = OperatorHttpServer.start(settings.httpPort(), operator, registry);
    String base = "http://127.0.0.1:" + server.port();
    try {
      assertThat(server.port()).isPositive();
      assertThat(get(base + "/healthz/live").statusCode()).isEqualTo(200);
      HttpResponse<String> notReady = get(base + "/healthz/ready");
      assertThat(notReady.statusCode()).as("ready before the operator started").isEqualTo(503);
      assertThat(notReady.body()).startsWith("not ready");

      operator.start();
      await().atMost(Duration.ofSeconds(30)).until(() -> get(base + "/healthz/ready").statusCode() == 200);

      Secret secret = TestResources.tokensSecret(TestResources.TOKENS_YAML);
      secret.getMetadata().setNamespace(ns);
      client.resource(secret).create();
      TurboCache cr = TestResources.minimal();
      cr.getMetadata().setNamespace(ns);
      cr.getMetadata().setGeneration(null);
      client.resource(cr).create();

      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        HttpResponse<String> metrics = get(base + "/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        assertThat(metrics.body()).contains("operator_sdk_reconciliations_started_total").contains("operator_sdk_reconciliations_success_total");
      });
    } finally {
      server.close();
      operator.stop();
    }
    assertThatThrownBy(() -> get(base + "/healthz/live")).as("closed").isInstanceOf(IOException.class);
  }

  private HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static Map<String, String> with(Map<String, String> base, String key, String value) {
    java.util.HashMap<String, String> m = new java.util.HashMap<>(base);
    m.put(key, value);
    return m;
  }
}
