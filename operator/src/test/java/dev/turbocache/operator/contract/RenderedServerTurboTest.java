package dev.turbocache.operator.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turbocache.operator.TestResources;
import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.dependent.ServerConfigMap;
import dev.turbocache.operator.dependent.ServerDeployment;
import dev.turbocache.operator.dependent.ServerService;
import dev.turbocache.operator.model.ResolvedSpec;
import dev.turbocache.operator.model.TokensSecret;
import dev.turbocache.server.http.CacheServer;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract between operator and server, end to end: for every TurboCache in examples/, the
 * Deployment, ConfigMap, Service and tokens Secret the operator renders start the real cache server
 * ({@link RenderedPod} documents how the pod is mapped onto this machine), its probes answer, and
 * the real turbo CLI gets a miss and upload, then, with every local trace wiped, remote hits.
 */
class RenderedServerTurboTest {
  static final String TEAM = "acme";
  static final String TOKEN = "contract-readwrite-token-3b9e1f";
  static final String TOKENS_YAML =
      "tokens:\n  - {name: ci, token: \"" + TOKEN + "\", teams: [\"" + TEAM + "\"], access: readwrite}\n";
  private static final Pattern MISS = Pattern.compile("cache miss, executing ([0-9a-f]{16})");
  private static final Pattern HIT = Pattern.compile("cache hit, replaying logs ([0-9a-f]{16})");

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @BeforeAll
  static void installTurbo() {
    Turbo.binary();
  }

  static Stream<Arguments> examples() {
    return TestResources.exampleTurboCaches().entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
  }

  /** The tokens Secret a user would create for {@code cr} (name and key from spec.auth.tokensSecretRef). */
  static Secret tokensSecret(TurboCache cr) {
    ResolvedSpec s = ResolvedSpec.of(cr);
    return new SecretBuilder()
        .withNewMetadata().withName(s.tokensSecretName()).withNamespace(cr.getMetadata().getNamespace()).endMetadata()
        .withData(Map.of(s.tokensSecretKey(), Base64.getEncoder().encodeToString(TOKENS_YAML.getBytes(StandardCharsets.UTF_8))))
        .build();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void turboGetsRemoteHitsFromTheServerTheOperatorRenders(String example, TurboCache cr, @TempDir Path tmp) throws Exception {
    Secret secret = tokensSecret(cr);
    TokensSecret tokens = TokensSecret.observe(cr, secret);
    assertThat(tokens.usable()).as(tokens.problem()).isTrue();
    Deployment deployment = ServerDeployment.desired(cr, tokens);
    RenderedPod pod = RenderedPod.materialize(deployment, ServerConfigMap.desired(cr), secret, tmp.resolve("pod"));
    assertServiceReachesThePod(ServerService.desired(cr), deployment, pod);

    try (CacheServer server = CacheServer.start(pod.load())) {
      String api = "http://127.0.0.1:" + server.port();
      for (Probe probe : List.of(pod.container.getLivenessProbe(), pod.container.getReadinessProbe())) {
        assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo(pod.container.getPorts().get(0).getName());
        assertThat(get(api + probe.getHttpGet().getPath()).statusCode()).as("probe %s", probe.getHttpGet().getPath()).isEqualTo(200);
      }

      Turbo turbo = Turbo.fixture(tmp);
      String cold = turbo.build(api, TOKEN, TEAM);
      assertThat(cold).contains("Remote caching enabled");
      List<String> uploaded = matches(MISS, cold);
      assertThat(uploaded).as(cold).hasSize(2);
      assertThat(matches(HIT, cold)).as(cold).isEmpty();
      for (String hash : uploaded) {
        assertThat(head(api, hash)).as("HEAD %s after the cold run", hash).isEqualTo(200);
      }

      turbo.wipeLocalState();
      assertThat(turbo.repo.resolve("packages/a/dist")).doesNotExist();
      String warm = turbo.build(api, TOKEN, TEAM);
      assertThat(matches(HIT, warm)).as(warm).containsExactlyInAnyOrderElementsOf(uploaded);
      assertThat(warm).doesNotContain("cache miss");
      assertThat(turbo.repo.resolve("packages/a/dist/index.js")).as("outputs restored from the remote cache").isRegularFile();
    }
  }

  private static void assertServiceReachesThePod(Service service, Deployment deployment, RenderedPod pod) {
    ContainerPort port = pod.container.getPorts().get(0);
    for (ServicePort sp : service.getSpec().getPorts()) {
      assertThat(sp.getTargetPort().getStrVal()).as("targetPort of Service port %s", sp.getName()).isEqualTo(port.getName());
    }
    assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels()).as("pod labels")
        .containsAllEntriesOf(service.getSpec().getSelector());
  }

  private static List<String> matches(Pattern p, String text) {
    List<String> out = new ArrayList<>();
    Matcher m = p.matcher(text);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  private int head(String api, String hash) throws IOException, InterruptedException {
    return http.send(
            HttpRequest.newBuilder(URI.create(api + "/v8/artifacts/" + hash + "?slug=" + TEAM))
                .header("Authorization", "Bearer " + TOKEN)
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
