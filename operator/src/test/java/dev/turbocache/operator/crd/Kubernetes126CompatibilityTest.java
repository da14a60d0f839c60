package dev.turbocache.operator.crd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Kubernetes 1.26 is the oldest version we support. Its CEL validation rules have only {@code rule}
 * and {@code message}; {@code messageExpression}, {@code reason}, {@code fieldPath} and
 * {@code optionalOldSelf} came later and a 1.26 API server would drop them silently, so a rule
 * written with them would validate differently there. CrdKubeApiIT proves the rules on a real 1.26
 * server; this test names the offending field before that.
 */
class Kubernetes126CompatibilityTest {
  static final Set<String> RULE_FIELDS_OF_1_26 = Set.of("rule", "message");

  @Test
  void celRulesUseOnlyWhatKubernetes126Knows() throws IOException {
    Path committed = Path.of(System.getProperty("turbocache.crd.committed", "../crds"));
    List<String> problems = new ArrayList<>();
    try (Stream<Path> files = Files.list(committed)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yml")).toList()) {
        walk(new YAMLMapper().readTree(f.toFile()), f.getFileName().toString(), problems);
      }
    }
    assertThat(problems).isEmpty();
  }

  static void walk(JsonNode node, String path, List<String> problems) {
    if (node.isObject()) {
      for (JsonNode rule : node.path("x-kubernetes-validations")) {
        rule.fieldNames().forEachRemaining(field -> {
          if (!RULE_FIELDS_OF_1_26.contains(field)) {
            problems.add(path + ": x-kubernetes-validations." + field + " needs Kubernetes 1.27 or newer");
          }
        });
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        walk(e.getValue(), path + "." + e.getKey(), problems);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        walk(node.get(i), path + "[" + i + "]", problems);
      }
    }
  }
}
