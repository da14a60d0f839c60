package dev.turbocache.operator.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * examples/install/operator.yaml, the install without Helm, is the chart rendered with its default
 * values, so RBAC and the Deployment are written once (in the chart). Helm does not render the
 * release namespace, so the file starts with it, after a header saying where the file comes from.
 */
class InstallManifestTest {
  static final Path FILE = TurboCacheChart.repoRoot().resolve("examples/install/operator.yaml");

  static String header() {
    return """
        # The TurboCache operator without Helm: its namespace, ServiceAccount, RBAC, Deployment and metrics
        # Service. Generated: helm/turbocache-operator rendered with its default values (release %s,
        # namespace %s), so do not edit it; change the chart and regenerate it with:
        #   %s
        # Install (the CRD first):
        #   kubectl apply --server-side -f crds/
        #   kubectl apply -f examples/install/operator.yaml
        # For other settings (watched namespaces, resources, monitoring) use the chart's values instead.
        apiVersion: v1
        kind: Namespace
        metadata:
          name: %s
        """.formatted(TurboCacheChart.RELEASE, TurboCacheChart.NAMESPACE, GeneratedFile.REGENERATE, TurboCacheChart.NAMESPACE);
  }

  static String expected() {
    return header() + TurboCacheChart.template(Map.of());
  }

  @Test
  void theInstallManifestIsTheChartRenderedWithItsDefaults() {
    GeneratedFile.check(FILE, expected());
  }

  @Test
  void theRenderingStartsWithADocumentSeparator() {
    // the header's Namespace and the rendered documents stay separate YAML documents
    assertThat(TurboCacheChart.template(Map.of())).startsWith("---\n");
  }
}
