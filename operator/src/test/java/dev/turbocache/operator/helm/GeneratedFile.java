package dev.turbocache.operator.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A committed file that is made from another one (the install manifest from the chart, the argocd-cm
 * snippet from the health script): a test compares the two, and rewrites the file instead when run
 * with {@code -Dturbocache.regenerate=true}.
 */
public final class GeneratedFile {
  public static final String PROPERTY = "turbocache.regenerate";
  /** The command that regenerates every generated file. */
  public static final String REGENERATE = "./mvnw -B -ntp -pl operator -am test -Dtest='InstallManifestTest,ArgoCdExamplesTest'"
      + " -Dsurefire.failIfNoSpecifiedTests=false -D" + PROPERTY + "=true";

  private GeneratedFile() {}

  public static void check(Path file, String expected) {
    try {
      if (Boolean.getBoolean(PROPERTY)) {
        Files.writeString(file, expected);
        return;
      }
      assertThat(file).as("%s is generated; make it with: %s", file, REGENERATE).isRegularFile();
      assertThat(Files.readString(file)).as("%s is generated, do not edit it; regenerate it with: %s", file, REGENERATE)
          .isEqualTo(expected);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
