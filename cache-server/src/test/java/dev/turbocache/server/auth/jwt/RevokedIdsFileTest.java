package dev.turbocache.server.auth.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turbocache.server.auth.WatchedFile;
import dev.turbocache.server.config.ConfigException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RevokedIdsFileTest {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
  static final Duration NEVER = Duration.ofHours(1);

  @TempDir Path dir;
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  @Test
  void oneIdPerLineWithoutBlankLinesOrComments() {
    String text = "# revoked after the incident of 2026-11-30\r\nleaked-job-1\n\n   leaked-job-2  \n#leaked-job-3\nleaked-job-1\n";
    assertThat(RevokedIdsFile.parse(text.getBytes(StandardCharsets.UTF_8), "f"))
        .containsExactly("leaked-job-1", "leaked-job-2");
    assertThat(RevokedIdsFile.parse(new byte[0], "f")).isEmpty();
  }

  @Test
  void aBadLineIsNamedAndNotUtf8IsRefused() {
    String text = "ok\n" + "x".repeat(257) + "\n";
    assertThatThrownBy(() -> RevokedIdsFile.parse(text.getBytes(StandardCharsets.UTF_8), "/etc/ids.txt"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("revoked token ids file /etc/ids.txt: line 2 is 257 characters long; a token id (jti) has at most 256");
    assertThat(RevokedIdsFile.parse(("x".repeat(256)).getBytes(StandardCharsets.UTF_8), "f")).hasSize(1);
    assertThatThrownBy(() -> RevokedIdsFile.parse(new byte[] {'a', (byte) 0xff, '\n'}, "f"))
        .isInstanceOf(ConfigException.class).hasMessageEndingWith("is not UTF-8 text");
  }

  @Test
  void aMissingOrInvalidFileStopsTheStart() throws IOException {
    try (RevocationList list = list()) {
      assertThatThrownBy(() -> RevokedIdsFile.load(dir.resolve("none.txt"), list, NEVER, meters))
          .isInstanceOf(ConfigException.class).hasMessageContaining("auth.jwt.revokedIdsFile").hasMessageContaining("not found");
      Path bad = Files.writeString(dir.resolve("bad.txt"), "x".repeat(300));
      assertThatThrownBy(() -> RevokedIdsFile.load(bad, list, NEVER, meters)).hasMessageContaining("line 1");
    }
  }

  @Test
  void eachNewVersionReplacesTheIdsOfTheOneBeforeAndABadOrMissingOneKeepsThem() throws IOException {
    Path file = Files.writeString(dir.resolve("ids.txt"), "a\nb\n");
    try (RevocationList list = list(); WatchedFile watched = RevokedIdsFile.load(file, list, NEVER, meters)) {
      assertThat(List.of("a", "b", "c")).filteredOn(list::isRevoked).containsExactly("a", "b");
      assertThat(watched.reloadNow()).as("unchanged").isFalse();

      Files.writeString(file, "b\nc\n");
      assertThat(watched.reloadNow()).isTrue();
      assertThat(List.of("a", "b", "c")).filteredOn(list::isRevoked).containsExactly("b", "c");

      Files.writeString(file, "c\n" + "x".repeat(300) + "\n");
      assertThat(watched.reloadNow()).isFalse();
      assertThat(List.of("a", "b", "c")).as("a bad version keeps the ids before it").filteredOn(list::isRevoked)
          .containsExactly("b", "c");

      Files.delete(file);
      assertThat(watched.reloadNow()).isFalse();
      assertThat(list.isRevoked("b")).as("a file gone keeps them too").isTrue();
      assertThat(reloads("success")).isEqualTo(1.0);
      assertThat(reloads("failure")).isEqualTo(2.0);
    }
  }

  @Test
  void theFilesIdsCountOnceNextToTheConfiguredAndTheStoredOnes() throws IOException {
    Path file = Files.writeString(dir.resolve("ids.txt"), "listed\nboth\n");
    try (RevocationList list = new RevocationList(new RevokedTokensFile(dir.resolve("store.json"), CLOCK),
            Duration.ofSeconds(1), CLOCK, List.of("configured", "both"));
        WatchedFile watched = RevokedIdsFile.load(file, list, NEVER, meters)) {
      list.revoke("stored", CLOCK.instant().plusSeconds(60));
      list.revoke("listed", CLOCK.instant().plusSeconds(60));
      assertThat(list.size()).isEqualTo(4);
    }
  }

  RevocationList list() throws IOException {
    return new RevocationList(new RevokedTokensFile(dir.resolve("store.json"), CLOCK), Duration.ofSeconds(1), CLOCK);
  }

  double reloads(String result) {
    return meters.find(RevokedIdsFile.RELOADS_METRIC).tag("result", result).counter().count();
  }
}
