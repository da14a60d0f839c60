package dev.turbocache.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokensFileTest {
  private static final String SECRET = "s3cr3t-Plain-Token-0042";
  private static final String OTHER_SECRET = "an0ther-Secret-Token-77";
  private static final String OTHER_HEX = TokenDigest.hexOf(OTHER_SECRET);

  @TempDir Path dir;

  @Test
  void parsesPlainAndDigestEntries() throws Exception {
    Path file = dir.resolve("tokens.yaml");
    Files.writeString(
        file,
        """
        tokens:
          - name: ci                 # comment
            token: "%s"
            teams: ["acme", "web"]
            access: readwrite
          - name: pr-builds
            sha256: "%s"
            teams: ["*"]
            access: read
          - name: ops
            sha256: "%s"
            teams: [acme]
            access: admin
        """
            .formatted(SECRET, OTHER_HEX, TokenDigest.hexOf("ops-token").toUpperCase()));

    TokenSet set = TokensFile.read(file);

    assertThat(set.entries())
        .extracting(TokenEntry::name)
        .containsExactly("ci", "pr-builds", "ops");
    TokenEntry ci = set.entries().get(0);
    assertThat(ci.digest()).isEqualTo(TokenDigest.of(SECRET));
    assertThat(ci.teams()).containsExactlyInAnyOrder("acme", "web");
    assertThat(ci.access()).isEqualTo(AccessLevel.READWRITE);
    TokenEntry pr = set.entries().get(1);
    assertThat(pr.digest()).isEqualTo(TokenDigest.of(OTHER_SECRET));
    assertThat(pr.teams()).containsExactly("*");
    assertThat(pr.access()).isEqualTo(AccessLevel.READ);
    // Upper-case hex is accepted too.
    assertThat(set.entries().get(2).digest()).isEqualTo(TokenDigest.of("ops-token"));
    assertThat(set.entries().get(2).access()).isEqualTo(AccessLevel.ADMIN);
  }

  @Test
  void emptyTokensListIsAllowed() {
    assertThat(TokensFile.parse("tokens: []\n", "t").entries()).isEmpty();
  }

  @Test
  void bothTokenAndSha256() {
    assertProblem(
        entry("name: ci", "token: \"" + SECRET + "\"", "sha256: \"" + OTHER_HEX + "\""),
        "tokens[0] 'ci': has both 'token' and 'sha256'");
  }

  @Test
  void neitherTokenNorSha256() {
    assertProblem(entry("name: ci"), "tokens[0] 'ci': has neither 'token' nor 'sha256'");
  }

  @Test
  void badHexDigest() {
    // A plain token pasted into the sha256 field must not be echoed back.
    assertProblem(
        entry("name: ci", "sha256: \"" + SECRET + "\""),
        "tokens[0] 'ci': 'sha256' must be 64 hex characters");
    assertProblem(
        entry("name: ci", "sha256: \"" + OTHER_HEX.substring(1) + "g\""),
        "tokens[0] 'ci': 'sha256' must be 64 hex characters");
    assertProblem(
        entry("name: ci", "sha256: \"" + OTHER_HEX.substring(2) + "\""),
        "tokens[0] 'ci': 'sha256' must be 64 hex characters");
  }

  @Test
  void duplicateNames() {
    String yaml =
        """
        tokens:
          - {name: ci, token: "%s", teams: ["*"], access: read}
          - {name: ci, token: "%s", teams: ["*"], access: read}
        """
            .formatted(SECRET, OTHER_SECRET);
    assertProblem(yaml, "tokens[1] 'ci': name already used by tokens[0]");
  }

  @Test
  void sameSecretUnderTwoNames() {
    String yaml =
        """
        tokens:
          - {name: a, token: "%s", teams: ["*"], access: read}
          - {name: b, sha256: "%s", teams: ["*"], access: admin}
        """
            .formatted(SECRET, TokenDigest.hexOf(SECRET));
    assertProblem(yaml, "tokens[1] 'b': same token as tokens[0] 'a'");
  }

  @Test
  void badTeam() {
    assertProblem(
        entry("name: ci", "token: \"" + SECRET + "\"", "teams: [\"acme\", \"../etc\"]"),
        "tokens[0] 'ci': team '../etc' is not valid");
  }

  @Test
  void emptyTeams() {
    assertProblem(
        entry("name: ci", "token: \"" + SECRET + "\"", "teams: []"),
        "tokens[0] 'ci': 'teams' is empty");
  }

  @Test
  void teamsMustBeAList() {
    assertProblem(
        entry("name: ci", "token: \"" + SECRET + "\"", "teams: \"*\""),
        "tokens[0] 'ci': 'teams' must be a list");
  }

  @Test
  void unknownAccessLevel() {
    assertProblem(
        entry("name: ci", "token: \"" + SECRET + "\"", "access: write"),
        "tokens[0] 'ci': access 'write' is not one of read, readwrite, admin");
  }

  @Test
  void missingAccess() {
    String yaml =
        "tokens:\n  - {name: ci, token: \"" + SECRET + "\", teams: [\"*\"]}\n";
    assertProblem(yaml, "tokens[0] 'ci': 'access' is missing");
  }

  @Test
  void unknownKey() {
    assertProblem(
        entry("name: ci", "token: \"" + SECRET + "\"", "acess: admin"),
        "tokens[0] 'ci': unknown key 'acess'");
  }

  @Test
  void unknownTopLevelKey() {
    assertProblem("tokens: []\ntokenz: []\n", "unknown top-level key 'tokenz'");
  }

  @Test
  void unquotedNumericTokenIsRejected() {
    assertProblem(entry("name: ci", "token: 12345678"), "'token' must be a quoted string");
  }

  @Test
  void tokenWithWhitespaceIsRejected() {
    assertProblem(
        entry("name: ci", "token: \"two words " + SECRET + "\""),
        "'token' contains whitespace");
  }

  @Test
  void missingOrInvalidNameIsReportedByIndex() {
    assertProblem(entry(), "tokens[0]: 'name' is missing");
    assertProblem(entry("name: \"has space\""), "tokens[0]: name 'has space' is not valid");
    assertProblem(entry("name: anonymous"), "name 'anonymous' is reserved");
  }

  @Test
  void emptyFileIsRejected() {
    assertProblem("", "is empty");
    assertProblem("# only a comment\n", "is empty");
  }

  @Test
  void repeatedKeyIsRejected() {
    String yaml =
        "tokens:\n  - name: ci\n    token: \"" + SECRET + "\"\n    teams: [\"*\"]\n"
            + "    access: read\n    access: admin\n";
    assertProblem(yaml, "duplicate key 'access'");
  }

  @Test
  void yamlSyntaxErrorDoesNotQuoteTheFile() {
    String yaml = "tokens:\n  - name: ci\n    token: \"" + SECRET + "\n    teams: [\n";
    assertThatThrownBy(() -> TokensFile.parse(yaml, "bad.yaml"))
        .isInstanceOf(InvalidTokensFileException.class)
        .hasMessageContaining("bad.yaml")
        .hasMessageContaining("not valid YAML (line")
        .hasMessageNotContaining(SECRET)
        .hasMessageNotContaining("s3cr3t");
  }

  @Test
  void reportsEveryProblemAtOnce() {
    String yaml =
        """
        tokens:
          - {name: a, token: "%s", teams: ["*"], access: nope}
          - {name: b, sha256: "%s", teams: [], access: read}
        """
            .formatted(SECRET, SECRET);
    assertThatThrownBy(() -> TokensFile.parse(yaml, "t"))
        .isInstanceOfSatisfying(
            InvalidTokensFileException.class,
            e -> assertThat(e.problems()).hasSize(3))
        .hasMessageContaining("tokens[0] 'a': access 'nope'")
        .hasMessageContaining("tokens[1] 'b': 'sha256' must be")
        .hasMessageContaining("tokens[1] 'b': 'teams' is empty")
        .hasMessageNotContaining(SECRET);
  }

  @Test
  void missingFileIsReported() {
    assertThatThrownBy(() -> TokensFile.read(dir.resolve("nope.yaml")))
        .isInstanceOf(InvalidTokensFileException.class)
        .hasMessageContaining("nope.yaml")
        .hasMessageContaining("file not found");
  }

  @Test
  void entryHidesItsDigestAndCannotBeChangedFromOutside() {
    byte[] digest = TokenDigest.of(SECRET);
    TokenEntry entry = new TokenEntry("ci", digest, Set.of("acme"), AccessLevel.READ);
    digest[0] ^= 1;
    entry.digest()[1] ^= 1;

    assertThat(entry.digest()).isEqualTo(TokenDigest.of(SECRET));
    assertThat(entry.toString())
        .contains("ci", "acme", "read")
        .doesNotContain(TokenDigest.hexOf(SECRET))
        .doesNotContain("[B@")
        .doesNotContainIgnoringCase("digest");
  }

  /** One entry; the fields not given are filled with valid values. */
  private static String entry(String... fields) {
    StringBuilder sb = new StringBuilder("tokens:\n  -");
    Set<String> given = new HashSet<>();
    for (String f : fields) {
      given.add(f.substring(0, f.indexOf(':')));
    }
    String[] defaults = {"teams: [\"acme\"]", "access: read"};
    boolean first = true;
    for (String f : fields) {
      sb.append(first ? " " : "    ").append(f).append('\n');
      first = false;
    }
    for (String d : defaults) {
      if (!given.contains(d.substring(0, d.indexOf(':')))) {
        sb.append(first ? " " : "    ").append(d).append('\n');
        first = false;
      }
    }
    return sb.toString();
  }

  private static void assertProblem(String yaml, String expected) {
    assertThatThrownBy(() -> TokensFile.parse(yaml, "tokens.yaml"))
        .isInstanceOf(InvalidTokensFileException.class)
        .hasMessageStartingWith("tokens file tokens.yaml")
        .hasMessageContaining(expected)
        .hasMessageNotContaining(SECRET)
        .hasMessageNotContaining(OTHER_HEX)
        .hasMessageNotContaining(OTHER_HEX.substring(2))
        .hasMessageNotContaining(TokenDigest.hexOf(SECRET));
  }
}
