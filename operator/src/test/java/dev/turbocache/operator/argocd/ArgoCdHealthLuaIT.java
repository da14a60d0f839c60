package dev.turbocache.operator.argocd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * examples/argocd/turbocache-health.lua run by a Lua 5.1 interpreter against the cases of
 * {@code argocd/health_test.yaml} (Argo CD's format for the health checks it ships): one per status
 * shape a TurboCache can have.
 */
class ArgoCdHealthLuaIT {
  static final YAMLMapper YAML = new YAMLMapper();

  /** One entry of health_test.yaml. */
  record Case(String status, String message, String inputPath) {
    JsonNode input() throws IOException {
      return YAML.readTree(dir().resolve(inputPath).toFile());
    }

    @Override
    public String toString() {
      return inputPath + " -> " + status;
    }
  }

  static Path dir() {
    try {
      return Path.of(ArgoCdHealthLuaIT.class.getResource("/argocd/health_test.yaml").toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<Case> cases() throws IOException {
    List<Case> out = new ArrayList<>();
    for (JsonNode t : YAML.readTree(dir().resolve("health_test.yaml").toFile()).path("tests")) {
      out.add(new Case(t.path("healthStatus").path("status").asText(), t.path("healthStatus").path("message").asText(),
          t.path("inputPath").asText()));
    }
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void theScriptAnswersTheExpectedHealth(Case c) throws IOException {
    assertThat(LuaHealthCheck.of(c.input())).isEqualTo(new LuaHealthCheck.Health(c.status(), c.message()));
  }

  /** The shapes Argo CD must tell apart, each with a case (a stale generation and a deletion among them). */
  @Test
  void everyStatusShapeHasACase() throws IOException {
    List<Case> cases = cases();
    assertThat(cases).extracting(Case::status).contains("Healthy", "Progressing", "Degraded", "Suspended");
    List<JsonNode> inputs = new ArrayList<>();
    for (Case c : cases) {
      inputs.add(c.input());
    }
    assertThat(inputs).as("a status older than the spec").anyMatch(o -> o.at("/status/observedGeneration").asLong()
        < o.at("/metadata/generation").asLong() && o.at("/status/conditions").toString().contains("\"Ready\""));
    assertThat(inputs).as("being deleted").anyMatch(o -> o.at("/metadata/deletionTimestamp").isTextual());
    assertThat(inputs).as("no status yet").anyMatch(o -> o.path("status").isMissingNode());
    assertThat(inputs).as("paused and degraded at once").anyMatch(o -> o.at("/spec/paused").asBoolean()
        && o.at("/status/conditions").toString().contains("\"Degraded\",\"status\":\"True\""));
    assertThat(cases).as("every file of testdata/ is a case").extracting(c -> Path.of(c.inputPath()).getFileName().toString())
        .containsExactlyInAnyOrderElementsOf(testdata());
  }

  private static List<String> testdata() throws IOException {
    try (var files = Files.list(dir().resolve("testdata"))) {
      return files.map(p -> p.getFileName().toString()).toList();
    }
  }

  /** The sandbox is Argo CD's: a script that needs the string library fails here as it would there. */
  @Test
  void theSandboxHasNoStringLibrary(@TempDir Path dir) throws IOException {
    JsonNode obj = new ObjectMapper().readTree("{\"metadata\":{\"name\":\"monorepo\"}}");
    Path usesString = Files.writeString(dir.resolve("string.lua"), "return {status = string.upper(\"healthy\")}\n");
    assertThatThrownBy(() -> LuaHealthCheck.run(usesString, obj)).hasMessageContaining("string");
    Path usesMethod = Files.writeString(dir.resolve("method.lua"), "return {status = obj.metadata.name:upper()}\n");
    assertThatThrownBy(() -> LuaHealthCheck.run(usesMethod, obj)).hasMessageContaining("attempt to index");
    Path usesOs = Files.writeString(dir.resolve("os.lua"), "os.execute(\"true\")\nreturn {status = \"Healthy\"}\n");
    assertThatThrownBy(() -> LuaHealthCheck.run(usesOs, obj)).hasMessageContaining("os");
  }

  /** The resource reaches the script unchanged: quotes, backslashes, control characters, UTF-8, numbers. */
  @Test
  void theResourceReachesTheScriptAsItIs(@TempDir Path dir) throws IOException {
    String note = "a \"quoted\" \\ back\\slash, ünïcödé, a\ttab, a bell\u0007 then 42";
    JsonNode obj = new ObjectMapper().createObjectNode()
        .<ObjectNode>set("metadata", new ObjectMapper().createObjectNode()
            .put("note", note).put("generation", 7).put("ratio", 0.25).putNull("gone"));
    Path echo = Files.writeString(dir.resolve("echo.lua"), """
        local m = obj.metadata
        return {status = "Healthy", message = m.note .. "|" .. (m.generation + 1) .. "|" .. (m.ratio * 4) .. "|" .. tostring(m.gone)}
        """);
    assertThat(LuaHealthCheck.run(echo, obj)).isEqualTo(new LuaHealthCheck.Health("Healthy", note + "|8|1|nil"));
  }
}
