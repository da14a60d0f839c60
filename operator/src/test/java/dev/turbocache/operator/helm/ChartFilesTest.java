package dev.turbocache.operator.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.turbocache.operator.model.OperatorInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The chart's own files agree with the project: version, CRDs, schema and README. */
class ChartFilesTest {
  static final String REGENERATE_CRDS = "./mvnw -B -pl operator -Pupdate-crds process-classes";
  static final ObjectMapper JSON = new ObjectMapper();

  static JsonNode yaml(Path file) throws IOException {
    return new YAMLMapper().readTree(file.toFile());
  }

  @Test
  void chartVersionAndAppVersionAreTheOperatorsVersion() throws IOException {
    JsonNode chart = yaml(TurboCacheChart.dir().resolve("Chart.yaml"));
    assertThat(chart.path("name").asText()).isEqualTo(TurboCacheChart.RELEASE);
    assertThat(chart.path("appVersion").asText()).as("Chart.yaml appVersion: the image tag it defaults to")
        .isEqualTo(OperatorInfo.version());
    assertThat(chart.path("version").asText()).as("Chart.yaml version follows the project version").isEqualTo(OperatorInfo.version());
  }

  /** Helm installs the CRDs from the chart's crds/; they are the generated ones of the top-level crds/. */
  @Test
  void theChartsCrdsAreTheCommittedCrds() throws IOException {
    Path committed = Path.of(System.getProperty("turbocache.crd.committed", "../crds"));
    Path chart = TurboCacheChart.dir().resolve("crds");
    assertThat(names(chart)).as("helm/turbocache-operator/crds/ holds the files of crds/; copy them with: %s", REGENERATE_CRDS)
        .isEqualTo(names(committed)).isNotEmpty();
    for (String name : names(committed)) {
      assertThat(Files.readString(chart.resolve(name)))
          .as("helm/turbocache-operator/crds/%s differs from crds/%s; copy it with: %s", name, name, REGENERATE_CRDS)
          .isEqualTo(Files.readString(committed.resolve(name)));
    }
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /** Every value, keyed by its dotted path; empty maps and lists are values themselves. */
  static Map<String, JsonNode> leaves(JsonNode node, String prefix, Map<String, JsonNode> out) {
    if (node.isObject() && !node.isEmpty()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        leaves(e.getValue(), prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), out);
      }
    } else {
      out.put(prefix, node);
    }
    return out;
  }

  static Map<String, JsonNode> defaults() throws IOException {
    return leaves(yaml(TurboCacheChart.dir().resolve("values.yaml")), "", new LinkedHashMap<>());
  }

  /** Rows of the README's values table: {@code | `path` | `default` | description |}. */
  static Map<String, String> documented() throws IOException {
    Pattern row = Pattern.compile("^\\| `([^`]+)` \\| `([^`]*)` \\| (.+) \\|$");
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : Files.readAllLines(TurboCacheChart.dir().resolve("README.md"))) {
      Matcher m = row.matcher(line);
      if (m.matches()) {
        assertThat(out.put(m.group(1), m.group(2))).as("%s documented twice", m.group(1)).isNull();
        assertThat(m.group(3).strip()).as("description of %s", m.group(1)).isNotEmpty();
      }
    }
    return out;
  }

  @Test
  void theReadmeDocumentsEveryValueWithItsDefault() throws IOException {
    Map<String, String> expected = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : defaults().entrySet()) {
      expected.put(e.getKey(), JSON.writeValueAsString(e.getValue()));
    }
    assertThat(documented()).as("the values table of helm/turbocache-operator/README.md").isEqualTo(expected);
  }

  @Test
  void theSchemaDescribesEveryValueAndRejectsUnknownOnes() throws IOException {
    JsonNode schema = JSON.readTree(TurboCacheChart.dir().resolve("values.schema.json").toFile());
    for (String path : defaults().keySet()) {
      JsonNode node = schema;
      for (String key : path.split("\\.")) {
        node = resolve(schema, node);
        JsonNode next = node.path("properties").path(key);
        node = next.isMissingNode() ? node.path("additionalProperties") : next;
        assertThat(node.isObject()).as("values.schema.json describes %s", path).isTrue();
      }
    }
    assertThat(openObjects(schema, "", new ArrayList<>())).as("objects of the schema that accept unknown keys").isEmpty();
    List<String> topLevel = new ArrayList<>();
    schema.path("properties").fieldNames().forEachRemaining(topLevel::add);
    topLevel.remove("global");
    Collections.sort(topLevel);
    assertThat(topLevel).as("the schema's values are the ones in values.yaml")
        .isEqualTo(defaults().keySet().stream().map(p -> p.split("\\.")[0]).distinct().sorted().toList());
  }

  /** Paths of objects with listed properties that do not refuse others (a typo there would pass). */
  private static List<String> openObjects(JsonNode node, String path, List<String> open) {
    if (node.has("properties") && node.path("additionalProperties").asBoolean(true)) {
      open.add(path.isEmpty() ? "(top level)" : path);
    }
    node.path("properties").fields().forEachRemaining(e -> openObjects(e.getValue(), path + "/" + e.getKey(), open));
    return open;
  }

  private static JsonNode resolve(JsonNode schema, JsonNode node) {
    String ref = node.path("$ref").asText(null);
    return ref == null ? node : schema.at(ref.substring(1));
  }
}
