package dev.turbocache.operator.crd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.turbocache.operator.TestResources;
import dev.turbocache.operator.api.v1alpha1.TurboCache;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every TurboCache in examples/ is valid against the generated CRD schema and binds to the model. */
class ExamplesTest {
  static final YAMLMapper YAML = new YAMLMapper();

  static JsonNode schema() throws IOException {
    Path crd = Path.of(System.getProperty("turbocache.crd.generated", "target/classes/META-INF/fabric8"))
        .resolve("turbocaches.turbocache.dev-v1.yml");
    JsonNode versions = YAML.readTree(crd.toFile()).path("spec").path("versions");
    for (JsonNode v : versions) {
      if (v.path("name").asText().equals(TurboCache.VERSION)) {
        return v.path("schema").path("openAPIV3Schema");
      }
    }
    throw new AssertionError("no " + TurboCache.VERSION + " in " + crd);
  }

  @Test
  void everyExampleIsValid() throws IOException {
    JsonNode schema = schema();
    List<TestResources.ExampleDoc> docs =
        TestResources.examples().stream().filter(d -> "TurboCache".equals(d.doc().path("kind").asText())).toList();
    assertThat(docs).extracting(TestResources.ExampleDoc::file).contains("minimal.yaml", "server-options.yaml");
    for (TestResources.ExampleDoc d : docs) {
      assertThat(d.doc().path("apiVersion").asText()).as(d.file()).isEqualTo("turbocache.dev/v1alpha1");
      ObjectNode body = d.doc().deepCopy();
      body.remove(List.of("apiVersion", "kind", "metadata"));
      assertThat(SchemaValidator.validate(schema, body)).as(d.file()).isEmpty();
      assertThat(d.as(TurboCache.class).getSpec().auth.tokensSecretRef.name).as(d.file()).isNotBlank();
    }
  }

  @Test
  void theValidatorRejectsBadSpecs() throws IOException {
    JsonNode schema = schema();
    JsonNode bad = YAML.readTree(
        """
        spec:
          paused: "yes"
          server:
            replicas: -1
            writePolicy: Sometimes
            maxArtifactSize: 2 gigabytes
            unknownField: 1
          auth: {}
        """);
    assertThat(SchemaValidator.validate(schema, bad))
        .anyMatch(e -> e.startsWith(".spec.paused"))
        .anyMatch(e -> e.startsWith(".spec.server.replicas"))
        .anyMatch(e -> e.startsWith(".spec.server.writePolicy"))
        .anyMatch(e -> e.startsWith(".spec.server.maxArtifactSize"))
        .anyMatch(e -> e.equals(".spec.server.unknownField: unknown field"))
        .anyMatch(e -> e.equals(".spec.auth.tokensSecretRef: required"));
    assertThat(SchemaValidator.validate(schema, YAML.readTree("spec: {server: {}}")))
        .containsExactly(".spec.auth: required");
  }

  @Test
  void crossFieldRulesAreInTheSchema() throws IOException {
    String crd = schema().toString();
    assertThat(crd)
        .contains("self.minReplicas <= self.maxReplicas")
        .contains("tiers.s3.encryption.kmsKeyId is required when tiers.s3.encryption.type is SSE-KMS")
        .contains("tiers.redis.external.uri is required when tiers.redis.mode is External");
  }

  /** Container, security context, probes and volumes are out of reach of spec.server.podTemplate. */
  @Test
  void podTemplateCannotReachOperatorOwnedPodFields() throws IOException {
    JsonNode spec = YAML.readTree(
        """
        spec:
          auth: {tokensSecretRef: {name: t}}
          server:
            podTemplate:
              spec:
                securityContext: {runAsUser: 0}
                containers: [{name: cache-server, securityContext: {privileged: true}, livenessProbe: {}}]
                volumes: [{name: config, emptyDir: {}}]
        """);
    assertThat(SchemaValidator.validate(schema(), spec)).containsExactlyInAnyOrder(
        ".spec.server.podTemplate.spec.securityContext: unknown field",
        ".spec.server.podTemplate.spec.containers: unknown field",
        ".spec.server.podTemplate.spec.volumes: unknown field");
  }
}
