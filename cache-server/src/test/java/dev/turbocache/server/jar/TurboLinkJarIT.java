package dev.turbocache.server.jar;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turbocache.server.e2e.FixtureRepo;
import dev.turbocache.server.e2e.TurboCli;
import dev.turbocache.server.e2e.TurboInstallation;
import dev.turbocache.server.e2e.TurboSummary;
import dev.turbocache.server.http.Json;
import dev.turbocache.server.testing.ServerJarProcess;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's path for a new user, with the real turbo CLI: start the packaged jar with no
 * configuration, {@code turbo link} with the token and team it printed, then builds that rely on
 * the linked team only.
 */
class TurboLinkJarIT {
  @TempDir Path tmp;
  ServerJarProcess server;

  @BeforeAll
  static void installTurbo() {
    TurboInstallation.turboBinary();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void linkWithTheZeroConfigTokenAndTeamThenBuildsHitRemotely() throws Exception {
    server = ServerJarProcess.start(tmp.resolve("server"));
    FixtureRepo repo = FixtureRepo.create(tmp.resolve("repo"));
    TurboCli turbo = new TurboCli(repo.root(), tmp.resolve("turbo-home")).env("TURBO_TOKEN", server.token());

    TurboCli.Result link = turbo.run("link", "--api=" + server.baseUrl(), "--scope=" + server.team(), "--yes");

    assertThat(link.exitCode()).as("%s\n%s", link, server).isZero();
    assertThat(link.output()).doesNotContain("Could not find team");
    assertThat(repo.linkedConfig().path("teamId").asText()).isEqualTo("team_" + server.team());

    // Linked: TURBO_API and TURBO_TOKEN only, no TURBO_TEAM.
    turbo.env("TURBO_API", server.baseUrl());
    TurboSummary cold = build(turbo).summary();
    assertThat(cold.tasks()).hasSize(FixtureRepo.TASK_IDS.size())
        .allSatisfy(t -> assertThat(t.isMiss()).as("%s", t).isTrue());
    JsonNode stored = Json.MAPPER.readTree(
        server.send(server.request("/admin/teams/" + server.team() + "/artifacts")).body());
    assertThat(stored.path("artifacts").findValuesAsText("hash"))
        .containsExactlyInAnyOrderElementsOf(cold.hashes());

    repo.wipeLocalState(); // keeps .turbo/config.json
    TurboCli.Result warm = build(turbo);
    assertThat(warm.summary().tasks()).as("%s", warm)
        .allSatisfy(t -> assertThat(t.isRemoteHit()).as("remote hit expected: %s", t).isTrue());
    assertThat(warm.stdout()).doesNotContain("cache miss");
  }

  private static TurboCli.Result build(TurboCli turbo) {
    TurboCli.Result r = turbo.run("run", "build", "--summarize");
    assertThat(r.timedOut()).as("%s", r).isFalse();
    assertThat(r.exitCode()).as("%s", r).isZero();
    assertThat(r.output()).as("%s", r).contains("Remote caching enabled");
    return r;
  }
}
