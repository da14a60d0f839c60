package dev.turbocache.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turbocache.operator.server.ServerDeployment;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The images cannot be built here (no container engine), so their contract with the manifests is
 * checked on the Dockerfiles' text: the UID the image runs as is the pods' runAsUser, the jar the
 * Maven shade plugin builds is the one copied, and the entrypoint is the container command.
 */
class DockerfileTest {
  static final Path ROOT = Path.of(System.getProperty("turbocache.repo.root", "..")).toAbsolutePath().normalize();

  /** The parts of a Dockerfile this test cares about. */
  record Dockerfile(String from, String user, List<String> copies, List<String> entrypoint) {
    static Dockerfile read(Path file) throws IOException {
      String from = null;
      String user = null;
      List<String> copies = new ArrayList<>();
      List<String> entrypoint = List.of();
      // join continuation lines, drop comments
      String text = Files.readString(file).replaceAll("\\\\\\R", " ");
      for (String line : text.split("\\R")) {
        String l = line.strip();
        if (l.isEmpty() || l.startsWith("#")) {
          continue;
        }
        String[] parts = l.split("\\s+", 2);
        String rest = parts.length > 1 ? parts[1].strip() : "";
        switch (parts[0].toUpperCase()) {
          case "FROM" -> from = rest;
          case "USER" -> user = rest;
          case "COPY" -> copies.add(rest);
          case "ENTRYPOINT" -> entrypoint = jsonArray(rest);
          default -> { }
        }
      }
      return new Dockerfile(from, user, copies, entrypoint);
    }

    private static List<String> jsonArray(String exec) {
      assertThat(exec).as("exec form").startsWith("[").endsWith("]");
      List<String> out = new ArrayList<>();
      Matcher m = Pattern.compile("\"([^\"]*)\"").matcher(exec);
      while (m.find()) {
        out.add(m.group(1));
      }
      return out;
    }
  }

  /** The shade plugin's finalName in a module's pom.xml. */
  static String shadedJar(String module) throws IOException {
    Matcher m = Pattern.compile("<finalName>([^<]+)</finalName>").matcher(Files.readString(ROOT.resolve(module).resolve("pom.xml")));
    assertThat(m.find()).as("finalName in %s/pom.xml", module).isTrue();
    return m.group(1) + ".jar";
  }

  static void assertImage(Dockerfile d, String module, List<String> expectedEntrypoint) throws IOException {
    assertThat(d.from()).isEqualTo("eclipse-temurin:21-jre");
    assertThat(d.user()).as("USER uid:gid").isEqualTo(ServerDeployment.RUN_AS_USER + ":" + ServerDeployment.RUN_AS_USER);
    String jar = expectedEntrypoint.get(expectedEntrypoint.size() - 1);
    assertThat(jar).startsWith("/app/").endsWith(".jar");
    assertThat(d.copies()).as("COPY of the shaded jar").contains("target/" + shadedJar(module) + " " + jar);
    assertThat(d.entrypoint()).isEqualTo(expectedEntrypoint);
  }

  @Test
  void operatorImageRunsTheShadedJarAsTheNonRootUid() throws IOException {
    Dockerfile d = Dockerfile.read(ROOT.resolve("operator/Dockerfile"));
    assertImage(d, "operator", List.of("java", "-jar", "/app/" + shadedJar("operator")));
  }

  @Test
  void theDeploymentRunsTheJarTheCacheServerBuildProduces() throws IOException {
    assertThat(ServerDeployment.SERVER_JAR).isEqualTo("/app/" + shadedJar("cache-server"));
  }

  @Test
  void cacheServerImageMatchesTheDeploymentTheOperatorRenders() throws IOException {
    Path file = ROOT.resolve("cache-server/Dockerfile");
    Assumptions.assumeTrue(Files.isRegularFile(file), "cache-server/Dockerfile is not in this branch yet");
    PodSpec pod = ServerDeployment.desired(TestResources.minimal(), TestResources.tokens(TestResources.minimal(), TestResources.TOKENS_YAML))
        .getSpec().getTemplate().getSpec();
    Container c = pod.getContainers().get(0);
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(ServerDeployment.RUN_AS_USER);
    assertThat(pod.getSecurityContext().getRunAsGroup()).isEqualTo(ServerDeployment.RUN_AS_USER);
    assertImage(Dockerfile.read(file), "cache-server", c.getCommand());
  }

  @Test
  void theParserSeesThroughContinuationsAndComments() throws IOException {
    Path tmp = Files.createTempFile("Dockerfile", "");
    try {
      Files.writeString(tmp, String.join("\n", Arrays.asList(
          "# USER root", "FROM eclipse-temurin:21-jre", "RUN a \\", "  && b", "COPY x /app/x.jar", "USER 1:1", "ENTRYPOINT [\"java\", \"-jar\", \"/app/x.jar\"]")));
      Dockerfile d = Dockerfile.read(tmp);
      assertThat(d.user()).isEqualTo("1:1");
      assertThat(d.copies()).containsExactly("x /app/x.jar");
      assertThat(d.entrypoint()).containsExactly("java", "-jar", "/app/x.jar");
    } finally {
      Files.delete(tmp);
    }
  }
}
