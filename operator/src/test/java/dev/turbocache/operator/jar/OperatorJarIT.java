package dev.turbocache.operator.jar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.turbocache.operator.OperatorSettings;
import dev.turbocache.operator.TestResources;
import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.contract.UserSecrets;
import dev.turbocache.operator.kubeapi.Cluster;
import dev.turbocache.operator.kubeapi.Kubeconfig;
import dev.turbocache.operator.kubeapi.OperatorIdentity;
import dev.turbocache.operator.kubeapi.RealApiServer;
import dev.turbocache.operator.kubeapi.RealApiServerExtension;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The packaged operator jar, started the way its README says for trying it against a cluster
 * ({@code java -jar operator/target/turbocache-operator.jar} with a kubeconfig and no POD_NAMESPACE),
 * with the install manifest's identity: it elects itself leader in the kubeconfig's namespace,
 * reconciles the minimal example, answers its probes and metrics (with what it saw of a Redis it
 * runs), and never logs its token.
 */
@ExtendWith(RealApiServerExtension.class)
class OperatorJarIT {
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  static Path jar() {
    Path jar = Path.of(System.getProperty("turbocache.operator.jar", "target/turbocache-operator.jar"));
    assertThat(jar).as("the packaged operator jar (run ./mvnw package first)").isRegularFile();
    return jar;
  }

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Before: about 20 s of retries, then the informers' stack traces ("ConnectException: null"). */
  @Test
  void withoutAReachableApiServerTheJarExitsSayingWhichAddressAndWhy() throws Exception {
    int closed = freePort();
    Path kubeconfig = Files.createTempFile("unreachable-", ".kubeconfig");
    try {
      Files.writeString(kubeconfig, """
          apiVersion: v1
          kind: Config
          clusters: [{name: c, cluster: {server: "https://127.0.0.1:%d"}}]
          users: [{name: u, user: {token: not-a-real-token}}]
          contexts: [{name: x, context: {cluster: c, user: u, namespace: default}}]
          current-context: x
          """.formatted(closed));
      assertThat(outputOfAStartThatFails(kubeconfig))
          .contains("cannot reach the Kubernetes API server at https://127.0.0.1:" + closed + "/: ")
          .doesNotContain("not-a-real-token");
    } finally {
      Files.deleteIfExists(kubeconfig);
    }
  }

  /** Before: the TurboCache informer's "Not Found" stack traces. An API server of its own: the shared one has the CRDs. */
  @Test
  void withoutTheCrdTheJarExitsSayingToInstallIt() throws Exception {
    try (RealApiServer bare = RealApiServer.start()) {
      assertThat(outputOfAStartThatFails(bare.kubeconfigFile()))
          .contains("does not serve turbocache.dev/v1alpha1 TurboCache: install the CRD first");
    }
  }

  /** The jar as the README starts it by hand: a kubeconfig, no POD_NAMESPACE; its output goes to {@code log}. */
  private static Process startJar(Path kubeconfig, Path log, int httpPort, Map<String, String> env) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(java(), "-jar", jar().toString())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().remove("POD_NAMESPACE");
    pb.environment().put("KUBECONFIG", kubeconfig.toString());
    pb.environment().put("TURBOCACHE_HTTP_PORT", Integer.toString(httpPort));
    pb.environment().putAll(env);
    return pb.start();
  }

  /** The log of the jar started with {@code kubeconfig}, which must exit with status 1 and no stack trace. */
  private static String outputOfAStartThatFails(Path kubeconfig) throws Exception {
    Path log = Files.createTempFile("operator-jar-", ".log");
    Process process = startJar(kubeconfig, log, freePort(), Map.of());
    try {
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exited; log:%n%s", Files.readString(log)).isTrue();
      String output = Files.readString(log);
      assertThat(process.exitValue()).as("exit status; log:%n%s", output).isEqualTo(1);
      assertThat(output).doesNotContain("\tat ");
      return output;
    } finally {
      process.destroyForcibly();
      Files.deleteIfExists(log);
    }
  }

  @Test
  void theJarStartedByHandReconcilesTheMinimalExample(RealApiServer api) throws Exception {
    Cluster.Prepared cluster = Cluster.prepare(api, "jar");
    KubernetesClient admin = cluster.admin();
    OperatorIdentity identity = cluster.identity();
    String ns = cluster.namespace();
    Path kubeconfig = Kubeconfig.write(identity, identity.namespace());
    Path log = Files.createTempFile("operator-jar-", ".log");
    int port = freePort();

    Process process = startJar(kubeconfig, log, port, Map.of("TURBOCACHE_WATCH_NAMESPACES", ns));
    try {
      String base = "http://127.0.0.1:" + port;
      await().atMost(Duration.ofSeconds(90)).ignoreExceptionsInstanceOf(IOException.class).untilAsserted(() -> {
        assertThat(process.isAlive()).as("operator running; log:%n%s", Files.readString(log)).isTrue();
        assertThat(get(base + "/healthz/ready").statusCode()).isEqualTo(200);
      });

      TurboCache cr = TestResources.exampleTurboCaches().get("minimal.yaml/" + TestResources.NAME);
      cr.getMetadata().setNamespace(ns);
      for (Secret s : UserSecrets.createdByUser(cr)) {
        Cluster.apply(admin, s);
      }
      Cluster.apply(admin, cr);
      await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
        assertThat(admin.apps().deployments().inNamespace(ns).withName(TestResources.NAME).get()).isNotNull();
        TurboCache live = admin.resources(TurboCache.class).inNamespace(ns).withName(TestResources.NAME).get();
        assertThat(live.getStatus()).isNotNull();
        assertThat(live.getStatus().observedGeneration).isEqualTo(live.getMetadata().getGeneration());
      });

      Lease lease = admin.leases().inNamespace(identity.namespace()).withName(OperatorSettings.DEFAULT_LEASE_NAME).get();
      assertThat(lease).as("the Lease in the kubeconfig's namespace").isNotNull();
      assertThat(lease.getSpec().getHolderIdentity()).isNotBlank();

      // a Sentinel TurboCache beside it: nothing runs its pods here, so the operator sees no master
      TurboCache sentinel = TestResources.exampleTurboCaches().get("production.yaml/" + TestResources.NAME);
      sentinel.getMetadata().setName("sentinel");
      sentinel.getMetadata().setNamespace(ns);
      Cluster.apply(admin, sentinel);
      String masters = "turbocache_operator_redis_masters{name=\"sentinel\",namespace=\"" + ns + "\"} 0.0";
      await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
        HttpResponse<String> metrics = get(base + "/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("jvm_memory_used_bytes").contains("operator_sdk_").contains(masters)
            .contains("turbocache_operator_redis_sentinels_ready{name=\"sentinel\",namespace=\"" + ns + "\"} 0.0");
      });
      // its Ingress (the example's) lets ingress-nginx pass uploads of any size, streamed
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
          assertThat(admin.network().v1().ingresses().inNamespace(ns).withName("sentinel").get())
              .isNotNull().extracting(i -> i.getMetadata().getAnnotations()).asInstanceOf(InstanceOfAssertFactories.MAP)
              .containsEntry("nginx.ingress.kubernetes.io/proxy-body-size", "0")
              .containsEntry("nginx.ingress.kubernetes.io/proxy-request-buffering", "off"));
    } finally {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    String output = Files.readString(log);
    assertThat(output).contains("Lease " + identity.namespace() + "/" + OperatorSettings.DEFAULT_LEASE_NAME);
    assertThat(output).as("the token never reaches the log").doesNotContain(identity.token());
    assertThat(output).doesNotContain(UserSecrets.TOKEN);
    Files.deleteIfExists(log);
    Files.deleteIfExists(kubeconfig);
  }

  private HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
