package dev.turbocache.operator.contract;

import static dev.turbocache.operator.contract.UserSecrets.TEAM;
import static dev.turbocache.operator.contract.UserSecrets.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.turbocache.operator.TestResources;
import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.server.ServerConfigMap;
import dev.turbocache.operator.server.ServerDeployment;
import dev.turbocache.operator.server.ServerMetricsService;
import dev.turbocache.operator.server.ServerSecrets;
import dev.turbocache.operator.server.ServerService;
import dev.turbocache.server.app.CacheServer;
import dev.turbocache.server.e2e.FixtureRepo;
import dev.turbocache.server.e2e.TurboCli;
import dev.turbocache.server.e2e.TurboInstallation;
import dev.turbocache.server.e2e.TurboSummary;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract between operator and server, end to end: for every TurboCache in examples/, the
 * Deployment, ConfigMap, Service and Secrets the operator renders start the real cache server
 * ({@link RenderedPod} documents how the pod is mapped onto this machine), its probes answer, and
 * the real turbo CLI (the cache-server's pinned harness: {@link TurboInstallation}, {@link
 * FixtureRepo}, {@link TurboCli}) gets misses and uploads, then, with every local trace wiped,
 * remote hits; a token rotated in the tokens Secret is in force on the running server without a
 * roll.
 *
 * <p>Examples whose tiers need services outside this machine (an external Redis, an S3 bucket) are
 * skipped here with an assumption naming the tiers; {@link RenderedConfigLoadsTest} still loads
 * their rendered config with the server's own loader.
 */
class RenderedServerTurboTest {
  /** Tiers the server can serve from this machine alone. */
  static final List<String> LOCAL_TIERS = List.of("memory", "disk");

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @BeforeAll
  static void installTurbo() {
    TurboInstallation.turboBinary();
  }

  static Stream<Arguments> examples() {
    return TestResources.exampleTurboCaches().entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void turboGetsRemoteHitsFromTheServerTheOperatorRenders(String example, TurboCache cr, @TempDir Path tmp) throws Exception {
    List<Secret> secrets = UserSecrets.of(cr);
    ServerSecrets observed = ServerSecrets.observe(cr, secrets);
    assertThat(observed.tokens().usable()).as("%s", observed.tokens().problem()).isTrue();
    assertThat(observed.envProblems()).isEmpty();
    Deployment deployment = ServerDeployment.desired(cr, observed);
    RenderedPod pod = RenderedPod.materialize(deployment, ServerConfigMap.desired(cr), secrets, tmp.resolve("pod"));
    assertServiceReachesThePod(ServerService.desired(cr), deployment, pod);
    assertServiceReachesThePod(ServerMetricsService.desired(cr), deployment, pod);
    List<String> tiers = pod.load().storage().tiers();
    assumeTrue(LOCAL_TIERS.containsAll(tiers),
        () -> example + " needs external services for tiers " + tiers.stream().filter(t -> !LOCAL_TIERS.contains(t)).toList()
            + "; its rendered config is covered by RenderedConfigLoadsTest");

    try (CacheServer server = CacheServer.start(pod.load())) {
      String api = "http://127.0.0.1:" + server.port();
      for (Probe probe : List.of(pod.container.getLivenessProbe(), pod.container.getReadinessProbe())) {
        String port = "http://127.0.0.1:" + pod.localPort(server, probe.getHttpGet().getPort().getStrVal());
        assertThat(get(port + probe.getHttpGet().getPath()).statusCode()).as("probe %s", probe.getHttpGet().getPath()).isEqualTo(200);
      }
      // /metrics names teams: on the metrics Service's port, never on the port the Ingress routes
      String metrics = "http://127.0.0.1:" + pod.localPort(server, ServerMetricsService.METRICS_PORT_NAME);
      assertThat(get(metrics + "/metrics").statusCode()).isEqualTo(200);
      assertThat(get(api + "/metrics").statusCode()).isEqualTo(404);
      assertThat(get(metrics + "/v8/artifacts/status").statusCode()).as("the cache API on the metrics port").isEqualTo(404);

      FixtureRepo repo = FixtureRepo.create(tmp.resolve("repo"));
      TurboCli turbo = new TurboCli(repo.root(), tmp.resolve("turbo-home")).remote(api, TOKEN, TEAM);
      TurboSummary cold = build(turbo);
      assertThat(cold.tasks()).extracting(TurboSummary.Task::taskId).containsExactlyInAnyOrderElementsOf(FixtureRepo.TASK_IDS);
      assertThat(cold.tasks()).allSatisfy(t -> assertThat(t.isMiss()).as("%s", t).isTrue());
      for (String hash : cold.hashes()) {
        assertThat(head(api, hash)).as("HEAD %s after the cold run", hash).isEqualTo(200);
      }
      var outputs = repo.distFiles();
      assertThat(outputs).isNotEmpty();

      repo.wipeLocalState();
      assertThat(repo.distFiles()).isEmpty();
      TurboSummary warm = build(turbo);
      assertThat(warm.tasks()).allSatisfy(t -> assertThat(t.isRemoteHit()).as("%s", t).isTrue());
      assertThat(warm.hashes()).containsExactlyInAnyOrderElementsOf(cold.hashes());
      var restored = repo.distFiles();
      assertThat(restored).as("outputs restored from the remote cache").containsOnlyKeys(outputs.keySet());
      outputs.forEach((file, bytes) -> assertThat(restored.get(file)).as(file).isEqualTo(bytes));
    }
  }

  /**
   * A token rotated in the tokens Secret: once the kubelet has synced the Secret volume, the
   * running server takes the new token and refuses the old one, and the Deployment the operator
   * renders is the same (no roll, which would empty every pod's memory and disk tiers).
   */
  @Test
  void aRotatedTokenIsInForceOnTheRunningServerWithoutARoll(@TempDir Path tmp) throws Exception {
    TurboCache cr = TestResources.minimal();
    List<Secret> secrets = UserSecrets.of(cr);
    Deployment started = ServerDeployment.desired(cr, ServerSecrets.observe(cr, secrets));
    RenderedPod pod = RenderedPod.materialize(started, ServerConfigMap.desired(cr), secrets, tmp.resolve("pod"));
    String rotated = "contract-rotated-token-7c41d0";
    List<Secret> afterRotation = UserSecrets.withTokensFile(cr, UserSecrets.TOKENS_YAML.replace(TOKEN, rotated));

    try (CacheServer server = CacheServer.start(pod.load())) {
      String api = "http://127.0.0.1:" + server.port();
      assertThat(head(api, "0123456789abcdef", TOKEN)).as("a miss: the token is good").isEqualTo(404);
      assertThat(ServerDeployment.desired(cr, ServerSecrets.observe(cr, afterRotation))).as("no roll").isEqualTo(started);

      pod.sync(ServerConfigMap.desired(cr), afterRotation);

      await("the running server takes the new token").atMost(Duration.ofSeconds(20))
          .until(() -> head(api, "0123456789abcdef", rotated) == 404);
      assertThat(head(api, "0123456789abcdef", TOKEN)).as("the old one is refused").isEqualTo(401);
    }
  }

  /** {@code turbo run build --summarize}; must exit 0 with remote caching enabled. */
  static TurboSummary build(TurboCli turbo) {
    TurboCli.Result r = turbo.run("run", "build", "--summarize");
    assertThat(r.timedOut()).as("%s", r).isFalse();
    assertThat(r.exitCode()).as("%s", r).isZero();
    assertThat(r.output()).as("%s", r).contains("Remote caching enabled");
    return r.summary();
  }

  private static void assertServiceReachesThePod(Service service, Deployment deployment, RenderedPod pod) {
    for (ServicePort sp : service.getSpec().getPorts()) {
      assertThat(sp.getTargetPort().getStrVal()).as("targetPort of Service port %s", sp.getName()).isEqualTo(sp.getName());
      assertThat(pod.container.getPorts()).extracting(ContainerPort::getName).as("container ports").contains(sp.getName());
    }
    assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels()).as("pod labels")
        .containsAllEntriesOf(service.getSpec().getSelector());
  }

  private int head(String api, String hash) throws IOException, InterruptedException {
    return head(api, hash, TOKEN);
  }

  private int head(String api, String hash, String token) throws IOException, InterruptedException {
    return http.send(
            HttpRequest.newBuilder(URI.create(api + "/v8/artifacts/" + hash + "?slug=" + TEAM))
                .header("Authorization", "Bearer " + token)
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }
}
