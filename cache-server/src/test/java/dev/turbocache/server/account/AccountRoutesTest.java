package dev.turbocache.server.account;

import static dev.turbocache.server.testing.TestServer.ADMIN;
import static dev.turbocache.server.testing.TestServer.WRITER;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turbocache.server.auth.TokenSetup;
import dev.turbocache.server.testing.TestServer;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class AccountRoutesTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  @RegisterExtension final TestServer server = TestServer.eachTest(() -> dir);

  @Test
  void userIsTheTokenName() throws Exception {
    JsonNode user = JSON.readTree(server.get("/v2/user", WRITER).body()).get("user");
    assertThat(user.get("id").asText()).isEqualTo("ci");
    assertThat(user.get("username").asText()).isEqualTo("ci");
    assertThat(user.get("email").asText()).contains("@");
    assertThat(user.get("createdAt").isNumber()).isTrue();
    assertThat(server.get("/v2/user", null).statusCode()).isEqualTo(401);
  }

  @Test
  void teamsListWhatTheTokenMayUseInTheShapeTurboParses() throws Exception {
    JsonNode teams = JSON.readTree(server.get("/v2/teams?limit=100", WRITER).body()).get("teams");
    assertThat(teams).hasSize(1);
    JsonNode acme = teams.get(0);
    assertThat(acme.get("id").asText()).isEqualTo("team_acme");
    assertThat(acme.get("slug").asText()).isEqualTo("acme");
    assertThat(acme.get("name").asText()).isEqualTo("acme");
    assertThat(acme.get("createdAt").isIntegralNumber()).isTrue();
    OffsetDateTime.parse(acme.get("created").asText());
    assertThat(acme.get("membership").get("role").asText()).isEqualTo("OWNER");

    JsonNode adminTeams = JSON.readTree(server.get("/v2/teams", ADMIN).body()).get("teams");
    assertThat(adminTeams.findValuesAsText("slug")).containsExactly("acme", "local", "web");
  }

  /** turbo link only accepts a --scope from this list, so "any team" lists the teams in use. */
  @Test
  void aTokenForAnyTeamListsTheDefaultTeamAndEveryTeamHoldingArtifacts() throws Exception {
    assertThat(server.put("/admin/artifacts/zeta/ab", ADMIN, new byte[3]).statusCode()).isEqualTo(201);

    JsonNode teams = JSON.readTree(server.get("/v2/teams?limit=100", ADMIN).body()).get("teams");

    assertThat(teams.findValuesAsText("slug")).containsExactly("acme", "local", "web", "zeta");
    assertThat(teams.findValuesAsText("id")).contains("team_local", "team_zeta");
    JsonNode scoped = JSON.readTree(server.get("/v2/teams", WRITER).body()).get("teams");
    assertThat(scoped.findValuesAsText("slug")).as("a token for one team lists only it").containsExactly("acme");
  }

  @Test
  void withOnlyTokensForAnyTeamTheStartupLineSuggestsTheDefaultTeam(@TempDir Path other) throws Exception {
    java.nio.file.Files.writeString(other.resolve("tokens.yaml"), """
        tokens:
          - {name: ops, token: "ops-token-eeeeeeeeeeeeeeeeeeee", teams: ["*"], access: admin}
        """);
    try (TestServer wildcard = TestServer.start(other)) {
      assertThat(wildcard.server().tokenSuggestion())
          .hasValue(new TokenSetup.Suggestion("ops", null, "local"));
      JsonNode teams = JSON.readTree(wildcard.get("/v2/teams", "ops-token-eeeeeeeeeeeeeeeeeeee").body())
          .get("teams");
      assertThat(teams.findValuesAsText("slug")).containsExactly("local");
    }
  }

  @Test
  void singleTeamByIdOrSlug() throws Exception {
    assertThat(JSON.readTree(server.get("/v2/teams/team_acme", WRITER).body()).get("slug").asText())
        .isEqualTo("acme");
    assertThat(server.get("/v2/teams/acme", WRITER).statusCode()).isEqualTo(200);
    assertThat(server.get("/v2/teams/team_web", WRITER).statusCode()).isEqualTo(404);
  }
}
