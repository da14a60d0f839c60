package dev.turbocache.server.e2e;

import static dev.turbocache.server.e2e.E2ECacheServer.ADMIN_TOKEN;
import static dev.turbocache.server.e2e.E2ECacheServer.READWRITE_TOKEN;
import static dev.turbocache.server.e2e.E2ECacheServer.TEAM;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turbocache.server.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backup and restore as an operator would do it: turbo fills server A, {@code export} writes its
 * team to a tar file, {@code import} loads it into a fresh server B, and turbo, with every local
 * trace wiped, gets all its tasks as remote hits from B with the original durations and sha.
 */
class ExportImportCliIT {
  @TempDir Path tmp;

  @BeforeAll
  static void installTurbo() {
    TurboInstallation.turboBinary();
  }

  @Test
  void exportFromOneServerImportIntoAFreshOneGivesAllRemoteHits() {
    FixtureRepo repo = FixtureRepo.create(tmp.resolve("repo"));
    Path backup = tmp.resolve("backup.tar");
    TurboSummary cold;
    Map<String, Long> durations = new LinkedHashMap<>();
    Map<String, byte[]> outputs;
    try (E2ECacheServer a = E2ECacheServer.start(tmp.resolve("a"))) {
      TurboCli cli = turbo(repo).remote(a.baseUrl(), READWRITE_TOKEN, TEAM);
      cold = build(cli).summary();
      assertThat(cold.tasks()).allSatisfy(t -> assertThat(t.isMiss()).as("%s", t).isTrue());
      cold.hashes().forEach(h -> durations.put(h, repo.localDurationMs(h)));
      outputs = repo.distFiles();

      String[] out = runCli("export", "--url", a.baseUrl(), "--token", ADMIN_TOKEN, "--team", TEAM,
          "--output", backup.toString());
      assertThat(out[1]).contains("exported " + cold.hashes().size() + " artifacts");
    }

    try (E2ECacheServer b = E2ECacheServer.start(tmp.resolve("b"))) {
      for (String hash : cold.hashes()) {
        assertThat(b.headArtifact(hash)).as("fresh server B has no %s", hash).isEqualTo(404);
      }
      String[] out = runCli("import", "--url", b.baseUrl(), "--token", ADMIN_TOKEN, "--input", backup.toString());
      assertThat(out[1]).contains("imported " + cold.hashes().size() + " artifacts");

      repo.wipeLocalState();
      assertThat(repo.distFiles()).isEmpty();
      TurboCli.Result warm = build(turbo(repo).remote(b.baseUrl(), READWRITE_TOKEN, TEAM));

      TurboSummary summary = warm.summary();
      assertThat(summary.hashes()).containsExactlyInAnyOrderElementsOf(cold.hashes());
      String sha = repo.headSha();
      assertThat(summary.tasks()).allSatisfy(t -> {
        assertThat(t.isRemoteHit()).as("remote hit from the restored server: %s", t).isTrue();
        assertThat(t.timeSaved()).as("duration survived export/import: %s", t).isEqualTo(durations.get(t.hash()));
        assertThat(t.sha()).as("sha survived export/import: %s", t).isEqualTo(sha);
      });
      assertThat(warm.stdout()).doesNotContain("cache miss");
      assertThat(repo.distFiles()).hasSameSizeAs(outputs);
      outputs.forEach((path, bytes) -> assertThat(repo.distFiles().get(path)).as(path).isEqualTo(bytes));
    }
  }

  private TurboCli turbo(FixtureRepo repo) {
    return new TurboCli(repo.root(), tmp.resolve("turbo-home"));
  }

  private static TurboCli.Result build(TurboCli cli) {
    TurboCli.Result r = cli.run("run", "build", "--summarize");
    assertThat(r.timedOut()).as("%s", r).isFalse();
    assertThat(r.exitCode()).as("%s", r).isZero();
    return r;
  }

  /** Runs the CLI in-process; fails the test with its error output unless it exits 0. */
  private static String[] runCli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(Map.of(), false, new PrintWriter(out), new PrintWriter(err), args);
    assertThat(code).as("%s\n%s", out, err).isZero();
    return new String[] {String.valueOf(code), out.toString(), err.toString()};
  }
}
