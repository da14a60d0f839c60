package dev.turbocache.server.e2e;

import static dev.turbocache.server.e2e.E2ECacheServer.READWRITE_TOKEN;
import static dev.turbocache.server.e2e.E2ECacheServer.READ_TOKEN;
import static dev.turbocache.server.e2e.E2ECacheServer.TEAM;
import static dev.turbocache.server.e2e.E2ECacheServer.TEAM_ID;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real turbo CLI (pinned 2.11.11, see {@link TurboInstallation}) against a real {@link
 * dev.turbocache.server.app.CacheServer}. Every test gets a fresh server and a fresh fixture repo:
 * the fixture's task hashes are the same in every copy, so a shared server would leak artifacts
 * between tests.
 *
 * <p>What turbo 2.11.11 prints: a miss is {@code "<pkg>:build: cache miss, executing <hash>"}, a hit
 * is {@code "<pkg>:build: cache hit, replaying logs <hash>"}; the run summary ({@code --summarize})
 * has per task {@code cache: {local, remote, status: HIT|MISS, source: LOCAL|REMOTE, timeSaved,
 * sha}}.
 */
class TurboCliIT {

  /** ≥ 32 bytes, as turbo's longerSignatureKey rule wants. */
  private static final String SIGNATURE_KEY = "e2e-signature-key-0123456789abcdef-0123456789";

  private static final String SIGNED_TURBO_JSON =
      """
      {
        "$schema": "https://turborepo.dev/schema.json",
        "remoteCache": { "signature": true },
        "tasks": {
          "build": {
            "dependsOn": ["^build"],
            "outputs": ["dist/**"]
          }
        }
      }
      """;

  @TempDir Path tmp;

  E2ECacheServer server;
  FixtureRepo repo;

  @BeforeAll
  static void installTurbo() {
    TurboInstallation.turboBinary();
  }

  @BeforeEach
  void startServerAndFixture() {
    server = startServer(tmp.resolve("server"));
    repo = FixtureRepo.create(tmp.resolve("repo"));
  }

  /** The server under test; subclasses run the same tests against other storage setups. */
  protected E2ECacheServer startServer(Path dir) {
    return E2ECacheServer.start(dir);
  }

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void pinnedTurboVersionIsUsed() {
    TurboCli.Result r = turbo().run("--version");
    assertThat(r.exitCode()).as("%s", r).isZero();
    assertThat(r.stdout().strip()).isEqualTo(TurboInstallation.TURBO_VERSION);
  }

  /** (a) A cold run misses everywhere and uploads every task's artifact, byte for byte. */
  @Test
  void coldRunUploadsEveryTask() {
    TurboCli cli = turbo().remote(server.baseUrl(), READWRITE_TOKEN, TEAM);

    TurboSummary summary = build(cli).summary();

    assertThat(summary.tasks()).extracting(TurboSummary.Task::taskId)
        .containsExactlyInAnyOrderElementsOf(FixtureRepo.TASK_IDS);
    assertThat(summary.tasks()).allSatisfy(t -> {
      assertThat(t.isMiss()).as("%s", t).isTrue();
      assertThat(t.remote()).as("%s", t).isFalse();
    });
    assertThat(repo.localCacheHashes()).containsExactlyInAnyOrderElementsOf(summary.hashes());
    String sha = repo.headSha();
    for (String hash : summary.hashes()) {
      assertThat(server.headArtifact(hash)).as("HEAD %s after upload", hash).isEqualTo(200);
      HttpResponse<byte[]> get = server.getArtifact(hash);
      assertThat(get.statusCode()).as("GET %s", hash).isEqualTo(200);
      assertThat(get.body()).as("stored bytes of %s equal the local .tar.zst turbo PUT", hash)
          .isEqualTo(repo.localArtifact(hash));
      assertThat(get.headers().firstValue("x-artifact-sha")).as("x-artifact-sha of %s", hash)
          .hasValue(sha);
      assertThat(get.headers().firstValue("x-artifact-duration")).as("x-artifact-duration of %s", hash)
          .hasValue(Long.toString(repo.localDurationMs(hash)));
    }
  }

  /** (b) With every local trace wiped, the next run is all remote hits and restores identical files. */
  @Test
  void wipedLocalCacheGivesRemoteHitsWithByteIdenticalOutputs() {
    TurboCli cli = turbo().remote(server.baseUrl(), READWRITE_TOKEN, TEAM);
    TurboSummary cold = build(cli).summary();
    Map<String, String> firstOutputs = digests(repo.distFiles());
    Map<String, Long> durations = localDurations(cold.hashes());
    assertThat(firstOutputs).containsKeys(
        "packages/a/dist/index.js",
        "packages/a/dist/nested/manifest.json",
        "packages/a/dist/nested/deeper/blob.bin",
        "packages/b/dist/index.js",
        "packages/b/dist/assets/reversed.bin");

    repo.wipeLocalState();
    assertThat(repo.distFiles()).isEmpty();
    TurboCli.Result warm = build(cli);

    assertRemoteHits(warm, cold.hashes());
    String sha = repo.headSha();
    assertThat(warm.summary().tasks()).allSatisfy(t -> {
      assertThat(t.timeSaved()).as("timeSaved (x-artifact-duration round trip) of %s", t)
          .isEqualTo(durations.get(t.hash()));
      assertThat(t.sha()).as("x-artifact-sha round trip of %s", t).isEqualTo(sha);
    });
    assertThat(digests(repo.distFiles())).containsExactlyEntriesOf(firstOutputs);
  }

  /** (c) Signed artifacts: the server keeps x-artifact-tag verbatim, so verification passes. */
  @Test
  void signedArtifactsRoundTripTheirTag() {
    repo = FixtureRepo.create(tmp.resolve("signed-repo"), SIGNED_TURBO_JSON);
    TurboCli cli = turbo()
        .remote(server.baseUrl(), READWRITE_TOKEN, TEAM)
        .env("TURBO_REMOTE_CACHE_SIGNATURE_KEY", SIGNATURE_KEY);
    TurboSummary cold = build(cli).summary();
    assertThat(cold.tasks()).allSatisfy(t -> assertThat(t.isMiss()).as("%s", t).isTrue());
    Map<String, String> firstOutputs = digests(repo.distFiles());
    for (String hash : cold.hashes()) {
      HttpResponse<byte[]> get = server.getArtifact(hash);
      assertThat(get.statusCode()).as("GET %s", hash).isEqualTo(200);
      assertThat(get.headers().firstValue("x-artifact-tag")).as("x-artifact-tag of %s", hash)
          .hasValueSatisfying(tag -> assertThat(tag).isNotBlank());
    }

    repo.wipeLocalState();
    TurboCli.Result warm = build(cli);

    assertRemoteHits(warm, cold.hashes());
    assertThat(digests(repo.distFiles())).containsExactlyEntriesOf(firstOutputs);
  }

  /** (d) A read-only token: the build still succeeds, the server stores nothing, reads still work. */
  @Test
  void readOnlyTokenCannotUploadButCanRead() {
    TurboCli readOnly = turbo().remote(server.baseUrl(), READ_TOKEN, TEAM);

    TurboSummary denied = build(readOnly).summary();

    assertThat(denied.tasks()).allSatisfy(t -> assertThat(t.isMiss()).as("%s", t).isTrue());
    assertThat(repo.localCacheHashes()).containsExactlyInAnyOrderElementsOf(denied.hashes());
    for (String hash : denied.hashes()) {
      assertThat(server.headArtifact(hash)).as("HEAD %s after a read-only run", hash).isEqualTo(404);
    }

    // the same token can read what a readwrite token uploaded
    repo.wipeLocalState();
    build(turbo().remote(server.baseUrl(), READWRITE_TOKEN, TEAM));
    repo.wipeLocalState();
    assertRemoteHits(build(readOnly), denied.hashes());
  }

  /** (e) --dry=json asks the server (batch POST /v8/artifacts) and reports remote hits. */
  @Test
  void dryRunReportsRemoteHitsAfterUpload() {
    TurboCli cli = turbo().remote(server.baseUrl(), READWRITE_TOKEN, TEAM);

    TurboSummary before = dryRun(cli);
    assertThat(before.tasks()).extracting(TurboSummary.Task::taskId)
        .containsExactlyInAnyOrderElementsOf(FixtureRepo.TASK_IDS);
    assertThat(before.tasks()).allSatisfy(t -> {
      assertThat(t.isMiss()).as("%s", t).isTrue();
      assertThat(t.remote()).as("%s", t).isFalse();
    });

    TurboSummary cold = build(cli).summary();
    assertThat(cold.hashes()).containsExactlyInAnyOrderElementsOf(before.hashes());
    Map<String, Long> durations = localDurations(cold.hashes());
    repo.wipeLocalState();

    TurboSummary after = dryRun(cli);
    assertThat(after.tasks()).allSatisfy(t -> {
      assertThat(t.status()).as("%s", t).isEqualTo("HIT");
      assertThat(t.source()).as("%s", t).isEqualTo("REMOTE");
      assertThat(t.remote()).as("%s", t).isTrue();
      assertThat(t.local()).as("%s", t).isFalse();
      assertThat(t.timeSaved()).as("timeSaved (batch taskDurationMs) of %s", t)
          .isEqualTo(durations.get(t.hash()));
    });
    assertThat(repo.distFiles()).as("a dry run restores nothing").isEmpty();
    // The answers came from the batch route: turbo falls back to one HEAD per task otherwise.
    assertThat(server.metrics())
        .contains("turbocache_http_requests_seconds_count{method=\"POST\",route=\"/v8/artifacts\",status=\"200\"} 2")
        .doesNotContain("method=\"HEAD\"");
  }

  /** (f) turbo link against the server, then a run that relies only on the linked teamId. */
  @Test
  void linkWritesTeamIdAndLinkedRunsUseTheCache() {
    TurboCli cli = turbo().env("TURBO_TOKEN", READWRITE_TOKEN);

    TurboCli.Result link = cli.run("link", "--api=" + server.baseUrl(), "--scope=" + TEAM, "--yes");

    assertThat(link.exitCode()).as("%s", link).isZero();
    assertThat(link.timedOut()).isFalse();
    assertThat(repo.linkedConfig().path("teamId").asText()).isEqualTo(TEAM_ID);

    // link stores only the teamId; the API URL still comes from TURBO_API. No TURBO_TEAM(ID).
    cli.env("TURBO_API", server.baseUrl());
    TurboSummary cold = build(cli).summary();
    assertThat(cold.tasks()).allSatisfy(t -> assertThat(t.isMiss()).as("%s", t).isTrue());
    for (String hash : cold.hashes()) {
      assertThat(server.headArtifact(hash, "teamId=" + TEAM_ID)).as("HEAD %s by teamId", hash)
          .isEqualTo(200);
      assertThat(server.headArtifact(hash, "slug=" + TEAM)).as("HEAD %s by slug", hash)
          .isEqualTo(200);
    }

    repo.wipeLocalState(); // keeps .turbo/config.json
    assertRemoteHits(build(cli), cold.hashes());
  }

  /** TURBO_TEAMID=team_acme and TURBO_TEAM=acme address the same team namespace. */
  @Test
  void teamIdAndSlugShareArtifacts() {
    TurboCli bySlug = turbo().remote(server.baseUrl(), READWRITE_TOKEN, TEAM);
    TurboSummary cold = build(bySlug).summary();
    for (String hash : cold.hashes()) {
      assertThat(server.headArtifact(hash, "teamId=" + TEAM_ID)).as("HEAD %s by teamId", hash)
          .isEqualTo(200);
    }

    repo.wipeLocalState();
    TurboCli byTeamId = turbo()
        .env("TURBO_API", server.baseUrl())
        .env("TURBO_TOKEN", READWRITE_TOKEN)
        .env("TURBO_TEAMID", TEAM_ID);
    assertRemoteHits(build(byTeamId), cold.hashes());
  }

  // ---------------------------------------------------------------------------------------------

  TurboCli turbo() {
    return new TurboCli(repo.root(), tmp.resolve("turbo-home"));
  }

  /** {@code turbo run build --summarize}; must exit 0 with remote caching enabled. */
  TurboCli.Result build(TurboCli cli) {
    TurboCli.Result r = cli.run("run", "build", "--summarize");
    assertThat(r.timedOut()).as("%s", r).isFalse();
    assertThat(r.exitCode()).as("%s", r).isZero();
    assertThat(r.output()).as("%s", r).contains("Remote caching enabled");
    return r;
  }

  private TurboSummary dryRun(TurboCli cli) {
    TurboCli.Result r = cli.run("run", "build", "--dry=json");
    assertThat(r.timedOut()).as("%s", r).isFalse();
    assertThat(r.exitCode()).as("%s", r).isZero();
    return r.dryRun();
  }

  static void assertRemoteHits(TurboCli.Result r, List<String> expectedHashes) {
    TurboSummary s = r.summary();
    assertThat(s.hashes()).as("%s", r).containsExactlyInAnyOrderElementsOf(expectedHashes);
    assertThat(s.tasks()).as("%s", r).allSatisfy(t ->
        assertThat(t.isRemoteHit()).as("remote hit expected: %s", t).isTrue());
    for (String hash : expectedHashes) {
      assertThat(r.stdout()).contains("cache hit, replaying logs " + hash);
    }
    assertThat(r.stdout()).doesNotContain("cache miss");
  }

  private Map<String, Long> localDurations(List<String> hashes) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (String h : hashes) {
      out.put(h, repo.localDurationMs(h));
    }
    return out;
  }

  private static Map<String, String> digests(Map<String, byte[]> files) {
    Map<String, String> out = new LinkedHashMap<>();
    files.forEach((path, bytes) -> out.put(path, sha256(bytes)));
    return out;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
