package dev.turbocache.server.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The character-by-character checks of team names and hashes say what their patterns say. */
class NameRulesTest {
  @ParameterizedTest
  @ValueSource(strings = {"", "a", "Z", "0", "acme", "team_1.web-app", "-acme", "_acme", ".acme",
      "ac me", "acme/", "acme\n", "äcme"})
  void teamNames(String name) {
    assertThat(Team.isValid(name)).isEqualTo(Team.NAME.matcher(name).matches());
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 63, 64, 65})
  void teamNameLengths(int length) {
    String name = "a".repeat(length);
    assertThat(Team.isValid(name)).isEqualTo(Team.NAME.matcher(name).matches());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "0", "abcdef0123456789", "ABCDEF", "abcg", "ab cd", "ab\n", "../ab", "٣"})
  void hashes(String hash) {
    assertThat(ArtifactKey.isValidHash(hash)).isEqualTo(ArtifactKey.HASH.matcher(hash).matches());
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 127, 128, 129})
  void hashLengths(int length) {
    String hash = "f".repeat(length);
    assertThat(ArtifactKey.isValidHash(hash)).isEqualTo(ArtifactKey.HASH.matcher(hash).matches());
  }

  @Test
  void nullIsNeitherATeamNorAHash() {
    assertThat(Team.isValid(null)).isFalse();
    assertThat(ArtifactKey.isValidHash(null)).isFalse();
  }
}
