package dev.turbocache.server.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The character-by-character checks of team names and hashes say what their patterns say. */
class NameRulesTest {
  static Stream<String> teamCandidates() {
    return Stream.of("", "a", "Z", "0", "acme", "team_1.web-app", "-acme", "_acme", ".acme",
        "ac me", "acme/", "acme\n", "äcme", "a".repeat(63), "a".repeat(64), "a".repeat(65));
  }

  static Stream<String> hashCandidates() {
    return Stream.of("", "0", "abcdef0123456789", "ABCDEF", "abcg", "ab cd", "ab\n", "../ab", "٣",
        "f".repeat(127), "f".repeat(128), "f".repeat(129));
  }

  @ParameterizedTest
  @MethodSource("teamCandidates")
  void teamNames(String name) {
    assertThat(Team.isValid(name)).isEqualTo(Team.NAME.matcher(name).matches());
  }

  @ParameterizedTest
  @MethodSource("hashCandidates")
  void hashes(String hash) {
    assertThat(ArtifactKey.isValidHash(hash)).isEqualTo(ArtifactKey.HASH.matcher(hash).matches());
  }

  @Test
  void nullIsNeitherATeamNorAHash() {
    assertThat(Team.isValid(null)).isFalse();
    assertThat(ArtifactKey.isValidHash(null)).isFalse();
  }
}
