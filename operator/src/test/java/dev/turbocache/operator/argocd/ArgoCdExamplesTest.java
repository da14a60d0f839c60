package dev.turbocache.operator.argocd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.LintResult;
import dev.turbocache.operator.TestResources;
import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.helm.GeneratedFile;
import dev.turbocache.operator.helm.TurboCacheChart;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * examples/argocd/: the argocd-cm entry is the health script as it is, and the two Applications
 * point at what this repository has (the chart, with values it accepts; a TurboCache for their
 * destination namespace).
 */
class ArgoCdExamplesTest {
  static final Path DIR = TurboCacheChart.repoRoot().resolve("examples/argocd");
  static final YAMLMapper YAML = new YAMLMapper();
  /** Argo CD's key for a kind's health check: resource.customizations.health.<group>_<kind>. */
  static final String HEALTH_KEY =
      "resource.customizations.health." + HasMetadata.getGroup(TurboCache.class) + "_" + HasMetadata.getKind(TurboCache.class);

  static JsonNode read(String file) throws IOException {
    return YAML.readTree(DIR.resolve(file).toFile());
  }

  static String argocdCm(String lua) {
    return """
        # The Argo CD health check of TurboCache resources, for the argocd-cm ConfigMap. Merge it in:
        #   kubectl -n argocd patch configmap argocd-cm --type merge --patch-file examples/argocd/argocd-cm.yaml
        # (installed with the argo-cd Helm chart: put the key under configs.cm instead). Generated from
        # turbocache-health.lua, so do not edit it; edit the script and regenerate it with:
        #   %s
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: argocd-cm
          namespace: argocd
          labels:
            app.kubernetes.io/name: argocd-cm
            app.kubernetes.io/part-of: argocd
        data:
          %s: |
        """.formatted(GeneratedFile.REGENERATE, HEALTH_KEY)
        + lua.lines().map(l -> l.isEmpty() ? "" : "    " + l).collect(Collectors.joining("\n", "", "\n"));
  }

  @Test
  void theArgocdCmEntryIsGeneratedFromTheHealthScript() throws IOException {
    String lua = Files.readString(LuaHealthCheck.SCRIPT);
    GeneratedFile.check(DIR.resolve("argocd-cm.yaml"), argocdCm(lua));
    assertThat(read("argocd-cm.yaml").path("data").path(HEALTH_KEY).asText()).as("the script as YAML reads it back").isEqualTo(lua);
  }

  @Test
  void theOperatorApplicationInstallsTheChartWithValuesItAccepts() throws IOException {
    JsonNode app = read("operator-application.yaml");
    assertThat(app.path("kind").asText()).isEqualTo("Application");
    JsonNode source = app.at("/spec/source");
    assertThat(TurboCacheChart.repoRoot().resolve(source.path("path").asText())).isEqualTo(TurboCacheChart.dir());
    assertThat(source.at("/helm/releaseName").asText()).isEqualTo(TurboCacheChart.RELEASE);
    assertThat(app.at("/spec/destination/namespace").asText()).isEqualTo(TurboCacheChart.NAMESPACE);
    assertThat(app.at("/spec/syncPolicy/syncOptions").toString()).contains("ServerSideApply=true");

    @SuppressWarnings("unchecked")
    Map<String, Object> values = YAML.convertValue(source.at("/helm/valuesObject"), Map.class);
    assertThat(values).isNotEmpty();
    LintResult lint = TurboCacheChart.lint(values);
    assertThat(lint.isFailed()).as("helm lint --strict with the Application's values: %s", lint.getMessages()).isFalse();
    assertThat(TurboCacheChart.render(values).objects()).isNotEmpty();
  }

  @Test
  void theTurboCacheApplicationSyncsATurboCacheOfThisRepositoryIntoItsNamespace() throws IOException {
    JsonNode app = read("turbocache-application.yaml");
    assertThat(app.at("/spec/source/repoURL")).isEqualTo(read("operator-application.yaml").at("/spec/source/repoURL"));
    Path path = TurboCacheChart.repoRoot().resolve(app.at("/spec/source/path").asText());
    String include = app.at("/spec/source/directory/include").asText();
    assertThat(path.resolve(include)).isRegularFile();
    String file = TurboCacheChart.repoRoot().resolve("examples").relativize(path.resolve(include)).toString();
    List<TestResources.ExampleDoc> docs = TestResources.examples().stream().filter(d -> d.file().equals(file)).toList();
    assertThat(docs).extracting(d -> d.doc().path("kind").asText()).contains("TurboCache");
    String namespace = app.at("/spec/destination/namespace").asText();
    assertThat(docs).allSatisfy(d -> assertThat(d.doc().at("/metadata/namespace").asText()).isEqualTo(namespace));
    assertThat(app.at("/spec/syncPolicy/syncOptions").toString()).contains("SkipDryRunOnMissingResource=true");
  }
}
