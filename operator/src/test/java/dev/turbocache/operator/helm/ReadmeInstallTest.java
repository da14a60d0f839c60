package dev.turbocache.operator.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.LintResult;
import dev.turbocache.operator.OperatorSettings;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's install instructions: the command, the values file it shows and the files it names. */
class ReadmeInstallTest {
  static final Path README = TurboCacheChart.repoRoot().resolve("README.md");
  static final String VALUES_FILE = "# turbocache-values.yaml";

  static String readme() throws IOException {
    return Files.readString(README);
  }

  @Test
  void theInstallCommandIsTheDocumentedRelease() throws IOException {
    assertThat(readme()).contains("helm install " + TurboCacheChart.RELEASE + " ./helm/" + TurboCacheChart.RELEASE
        + " -n " + TurboCacheChart.NAMESPACE + " --create-namespace");
  }

  /** The values file the README shows passes lint and does what its comments say. */
  @Test
  void theValuesFileOfTheReadmeIsValid() throws IOException {
    Matcher block = Pattern.compile("```yaml\n(" + Pattern.quote(VALUES_FILE) + "\n.*?)```", Pattern.DOTALL).matcher(readme());
    assertThat(block.find()).as("a yaml block starting with %s in README.md", VALUES_FILE).isTrue();
    @SuppressWarnings("unchecked")
    Map<String, Object> values = new YAMLMapper().readValue(block.group(1), Map.class);
    LintResult lint = TurboCacheChart.lint(values);
    assertThat(lint.isFailed()).as("helm lint --strict: %s", lint.getMessages()).isFalse();

    TurboCacheChart.Rendered r = TurboCacheChart.render(values);
    List<String> watched = List.copyOf(OperatorSettings.fromEnv(OperatorPod.environment(r.one(Deployment.class))).watchNamespaces());
    assertThat(watched).isNotEmpty();
    assertThat(r.clusterWideRulesOtherThanNamedCrdReads()).as("cluster-wide rules").isEmpty();
    assertThat(r.all(Role.class)).extracting(role -> role.getMetadata().getNamespace()).containsAll(watched);
    assertThat(r.kind("ServiceMonitor")).hasSize(1);
  }

  @Test
  void everyFileTheReadmeNamesExists() throws IOException {
    Matcher path = Pattern.compile("(?<![\\w/.-])((?:examples|helm|crds)/[\\w./-]*[\\w/])").matcher(readme());
    List<String> missing = new ArrayList<>();
    int found = 0;
    while (path.find()) {
      found++;
      if (!Files.exists(TurboCacheChart.repoRoot().resolve(path.group(1)))) {
        missing.add(path.group(1));
      }
    }
    assertThat(found).isGreaterThan(5);
    assertThat(missing).as("paths named in README.md").isEmpty();
  }
}
