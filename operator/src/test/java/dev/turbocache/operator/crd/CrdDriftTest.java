package dev.turbocache.operator.crd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * CI gate: the CRD committed under {@code crds/} must equal what the Fabric8 CRD generator produces
 * from the v1alpha1 model during this build (target/classes/META-INF/fabric8).
 */
class CrdDriftTest {
  static final String REGENERATE = "./mvnw -B -pl operator -Pupdate-crds process-classes";

  @Test
  void committedCrdsMatchTheGeneratedOnes() throws IOException {
    Path generated = Path.of(System.getProperty("turbocache.crd.generated", "target/classes/META-INF/fabric8"));
    Path committed = Path.of(System.getProperty("turbocache.crd.committed", "../crds"));
    assertThat(generated).as("generated CRD directory (run the build through process-classes)").isDirectory();
    try (Stream<Path> files = Files.list(generated)) {
      var generatedFiles = files.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
      assertThat(generatedFiles).as("generated CRDs").isNotEmpty();
      for (Path g : generatedFiles) {
        Path c = committed.resolve(g.getFileName());
        assertThat(c)
            .as("crds/%s is missing; regenerate with: %s", g.getFileName(), REGENERATE)
            .exists();
        assertThat(Files.readString(c))
            .as("crds/%s differs from the CRD generated from the Java model; regenerate with: %s",
                g.getFileName(), REGENERATE)
            .isEqualTo(Files.readString(g));
      }
    }
    try (Stream<Path> files = Files.list(committed)) {
      assertThat(files.filter(p -> p.toString().endsWith(".yml")).map(p -> p.getFileName().toString()))
          .as("crds/ holds a CRD the model no longer generates; regenerate with: %s", REGENERATE)
          .allMatch(name -> Files.exists(generated.resolve(name)));
    }
  }
}
