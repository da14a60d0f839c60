package dev.turbocache.operator.crd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.turbocache.operator.TestResources;
import dev.turbocache.operator.api.v1alpha1.ServerStatus;
import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.api.v1alpha1.TurboCacheStatus;
import dev.turbocache.operator.kubeapi.Cluster;
import dev.turbocache.operator.kubeapi.RealApiServer;
import dev.turbocache.operator.kubeapi.RealApiServerExtension;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The committed CRD on a real Kubernetes 1.26 API server: it applies with server-side apply, every
 * CEL rule rejects its bad spec there with the message {@link CrdCelRulesTest} documents (and
 * accepts the good ones), and every file of examples/ applies, first as a server-side dry run,
 * then for real; {@code kubectl explain} shows the fields' descriptions and {@code kubectl get} the
 * columns.
 */
@ExtendWith(RealApiServerExtension.class)
class CrdKubeApiIT {
  static final YAMLMapper YAML = new YAMLMapper();
  static final String TURBOCACHE_CRD = "turbocaches.turbocache.dev";
  static KubernetesClient client;
  static String namespace;
  static RealApiServer cluster;

  @BeforeAll
  static void installCrds(RealApiServer api) {
    cluster = api;
    client = api.admin();
    List<CustomResourceDefinition> crds = Cluster.installCrds(client);
    assertThat(crds).extracting(c -> c.getMetadata().getName()).contains(TURBOCACHE_CRD);
    namespace = Cluster.createNamespace(client, "crd");
  }

  @Test
  void theCrdServesTheVersionKindAndShortNameOfTheModel() {
    CustomResourceDefinition crd =
        client.apiextensions().v1().customResourceDefinitions().withName(TURBOCACHE_CRD).get();
    assertThat(crd.getSpec().getNames().getKind()).isEqualTo("TurboCache");
    assertThat(crd.getSpec().getNames().getShortNames()).contains("tc");
    assertThat(crd.getSpec().getVersions()).anySatisfy(v -> {
      assertThat(v.getName()).isEqualTo(TurboCache.VERSION);
      assertThat(v.getServed()).isTrue();
      assertThat(v.getStorage()).isTrue();
    });
  }

  /** {@code kubectl explain} of the real kubectl 1.26 shows the model's descriptions of our fields. */
  @Test
  void kubectlExplainDescribesTheFields() throws Exception {
    await("the API server publishes the CRD's schema").atMost(Duration.ofSeconds(60)).untilAsserted(() ->
        assertThat(kubectl("explain", "turbocaches.spec.server.ingress.annotations"))
            .contains("proxy-request-buffering"));
    assertThat(kubectl("explain", "tc.spec.tiers.s3.forcePathStyle")).contains("MinIO and Ceph");
    assertThat(kubectl("explain", "turbocaches.status.server.readyReplicas")).contains("readiness probe");
  }

  /**
   * {@code kubectl get tc} of the real kubectl 1.26 shows whether a cache serves, why not, where and
   * how many servers are available.
   */
  @Test
  void kubectlGetShowsWhetherACacheServesWhyNotHowManyServersAndWhere() throws Exception {
    TurboCache cr = TestResources.minimal();
    cr.getMetadata().setName("columns");
    cr.getMetadata().setNamespace(namespace);
    TurboCache created = client.resource(cr).create();
    TurboCacheStatus status = new TurboCacheStatus();
    status.endpoint = "http://columns." + namespace + ".svc:8080";
    status.server = new ServerStatus();
    status.server.availableReplicas = 0;
    status.conditions.add(new ConditionBuilder().withType("Ready").withStatus("False").withReason("Degraded")
        .withMessage("Secret 'turbo-tokens' (spec.auth.tokensSecretRef) not found").withLastTransitionTime("2026-12-01T00:00:00Z").build());
    created.setStatus(status);
    client.resource(created).updateStatus();

    List<String> table = kubectl("get", "tc", "columns", "-n", namespace).lines().toList();
    assertThat(table.get(0).split(" +")).containsExactly("NAME", "AGE", "READY", "REASON", "ENDPOINT", "AVAILABLE");
    String[] row = table.get(1).split(" +");
    assertThat(row).hasSize(6);
    assertThat(List.of(row[0], row[2], row[3], row[4], row[5]))
        .containsExactly("columns", "False", "Degraded", status.endpoint, "0");
  }

  private static String kubectl(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(RealApiServer.binaryDirectory().resolve("kubectl").toString(),
        "--kubeconfig", cluster.kubeconfigFile().toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("kubectl %s ended", String.join(" ", args)).isTrue();
      assertThat(p.exitValue()).as("kubectl %s: %s", String.join(" ", args), out).isZero();
      return out;
    } finally {
      p.destroyForcibly();
    }
  }

  /** A TurboCache whose spec holds {@code yaml} at {@code path}, plus the fields that path requires. */
  static GenericKubernetesResource turboCacheWith(String path, String yaml, int n) throws IOException {
    ObjectNode root = (ObjectNode) YAML.readTree("""
        apiVersion: turbocache.dev/v1alpha1
        kind: TurboCache
        metadata: {name: cel-%d}
        spec:
          auth: {tokensSecretRef: {name: turbo-tokens}}
        """.formatted(n));
    ((ObjectNode) root.get("metadata")).put("namespace", namespace);
    String[] steps = path.substring(1).split("\\.");
    ObjectNode at = root;
    for (int i = 0; i < steps.length - 1; i++) {
      if (steps[i].endsWith("[*]")) {
        // a list of one element; a rule's issuer gets the fields the schema requires of it
        String list = steps[i].substring(0, steps[i].length() - 3);
        at = at.putArray(list).addObject();
        if (list.equals("issuers")) {
          at.put("issuer", "https://a").putArray("audiences").add("turbo");
        }
        continue;
      }
      at = at.has(steps[i]) ? (ObjectNode) at.get(steps[i]) : at.putObject(steps[i]);
      if (steps[i].equals("s3")) {
        at.put("bucket", "acme-turbo-cache");
      }
    }
    JsonNode value = YAML.readTree(yaml);
    String last = steps[steps.length - 1];
    if (last.endsWith("[*]")) {
      at.putArray(last.substring(0, last.length() - 3)).add(value);
    } else {
      at.set(last, value);
    }
    return Serialization.unmarshal(Serialization.asJson(root), GenericKubernetesResource.class);
  }

  @Test
  void everyCelRuleRejectsItsBadSpecWithTheDocumentedMessage() throws IOException {
    List<String> unexpected = new ArrayList<>();
    int n = 0;
    for (CrdCelRulesTest.Case c : CrdCelRulesTest.CASES) {
      GenericKubernetesResource cr = turboCacheWith(c.path(), c.yaml(), n++);
      String outcome;
      try {
        client.resource(cr).dryRun().create();
        outcome = null;
      } catch (KubernetesClientException e) {
        outcome = e.getCode() + " " + e.getStatus().getMessage();
      }
      if (c.fails() == null && outcome != null) {
        unexpected.add(c.path() + " " + c.yaml() + " should pass, the API server said: " + outcome);
      } else if (c.fails() != null && (outcome == null || !outcome.startsWith("422 ") || !outcome.contains(c.fails()))) {
        unexpected.add(c.path() + " " + c.yaml() + " should fail with '" + c.fails() + "', the API server said: " + outcome);
      }
    }
    assertThat(unexpected).isEmpty();
  }

  @Test
  void aRejectionNamesTheFieldAndTheRuleMessage() throws IOException {
    GenericKubernetesResource cr = turboCacheWith(".spec.server.autoscaling", "{minReplicas: 6, maxReplicas: 5}", 1000);
    assertThatThrownBy(() -> client.resource(cr).create())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
          assertThat(e.getCode()).isEqualTo(422);
          assertThat(e.getStatus().getMessage())
              .contains("spec.server.autoscaling: Invalid value")
              .contains(CrdCelRulesTest.MIN_MAX);
        });
  }

  /**
   * Kubernetes checks CEL rules only on objects that pass the schema: a missing required field is
   * reported by itself, which is why no CEL case above also breaks the schema.
   */
  @Test
  void aSchemaErrorIsReportedBeforeTheCelRules() throws IOException {
    GenericKubernetesResource cr =
        turboCacheWith(".spec.tiers.redis", "{mode: External, external: {passwordSecretRef: {name: redis-auth}}}", 1001);
    assertThatThrownBy(() -> client.resource(cr).dryRun().create())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getStatus().getMessage())
            .contains("spec.tiers.redis.external.uri: Required value")
            .doesNotContain(CrdCelRulesTest.URI));
  }

  /** The server refuses a zero timeout or one over 24 days at start-up; the API server refuses them first. */
  @Test
  void aZeroOrTooLongIdleTimeoutIsRefused() throws IOException {
    GenericKubernetesResource zero = turboCacheWith(".spec.server.idleTimeout", "0s", 1002);
    assertThatThrownBy(() -> client.resource(zero).dryRun().create())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getStatus().getMessage())
            .contains("spec.server.idleTimeout").contains("should match"));
    for (String tooLong : List.of("25d", "577h", "99999999999h")) {
      GenericKubernetesResource cr = turboCacheWith(".spec.server.idleTimeout", tooLong, 1004);
      assertThatThrownBy(() -> client.resource(cr).dryRun().create()).as(tooLong)
          .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getStatus().getMessage())
              .contains("spec.server.idleTimeout").contains("must be at most 24d (576h)"));
    }
    for (String accepted : List.of("620s", "24d", "576h")) {
      client.resource(turboCacheWith(".spec.server.idleTimeout", accepted, 1003)).dryRun().create();
    }
  }

  @Test
  void everyExampleAppliesAsADryRunAndForReal() {
    Map<String, String> namespaces = new LinkedHashMap<>();
    // Argo CD's own kinds (examples/argocd/) need Argo CD's CRDs; ArgoCdExamplesTest checks those files
    List<TestResources.ExampleDoc> docs = TestResources.examples().stream()
        .filter(d -> !d.doc().path("apiVersion").asText().startsWith("argoproj.io/")).toList();
    assertThat(docs).extracting(TestResources.ExampleDoc::file).contains("minimal.yaml", "production.yaml", "install/operator.yaml");
    for (TestResources.ExampleDoc doc : docs) {
      String ns = namespaces.computeIfAbsent(doc.file(), f -> Cluster.createNamespace(client, "example"));
      GenericKubernetesResource r = exampleIn(doc, ns);
      if (r.getKind().equals("Namespace")) {
        // the objects after it live in it: a dry run of them needs it to exist
        Cluster.apply(client, r);
        continue;
      }
      GenericKubernetesResource dryRun =
          client.resource(r).dryRun().fieldManager(Cluster.TEST_MANAGER).forceConflicts().serverSideApply();
      assertThat(dryRun.getMetadata().getName()).as("%s %s", doc.file(), r.getKind()).isEqualTo(r.getMetadata().getName());
    }
    for (TestResources.ExampleDoc doc : docs) {
      GenericKubernetesResource r = exampleIn(doc, namespaces.get(doc.file()));
      Cluster.apply(client, r);
      assertThat(client.resource(r).get()).as("%s %s %s", doc.file(), r.getKind(), r.getMetadata().getName()).isNotNull();
    }
  }

  /** Namespaced example objects go into the test's namespace for their file; the install manifest keeps its own. */
  static GenericKubernetesResource exampleIn(TestResources.ExampleDoc doc, String ns) {
    return doc.file().startsWith("install/") ? doc.as(GenericKubernetesResource.class) : Cluster.inNamespace(doc, ns);
  }
}
