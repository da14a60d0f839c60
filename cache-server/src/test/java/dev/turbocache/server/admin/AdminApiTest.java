package dev.turbocache.server.admin;

import static dev.turbocache.server.testing.TestServer.ADMIN;
import static dev.turbocache.server.testing.TestServer.READER;
import static dev.turbocache.server.testing.TestServer.WRITER;
import static dev.turbocache.server.testing.TestServer.artifact;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turbocache.server.http.Json;
import dev.turbocache.server.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminApiTest {
  /** An admin token limited to team acme. */
  static final String ACME_ADMIN = "acme-admin-token-ffffffffffffffffff";

  @TempDir Path dir;

  private TestServer start(Map<String, String> settings) throws Exception {
    Files.writeString(dir.resolve("tokens.yaml"), TestServer.TOKENS_YAML + """
          - name: acme-ops
            token: "%s"
            teams: ["acme"]
            access: admin
        """.formatted(ACME_ADMIN));
    return TestServer.start(dir, settings);
  }

  private static JsonNode json(HttpResponse<byte[]> r) throws Exception {
    return Json.MAPPER.readTree(r.body());
  }

  private static HttpResponse<byte[]> call(TestServer s, String method, String path, String token, String body) {
    HttpRequest.Builder b = s.request(path, token);
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return s.send(b.build());
  }

  @Test
  void adminRoutesRefuseMissingAndNonAdminTokens() throws Exception {
    try (TestServer s = start(Map.of())) {
      s.put(artifact("aa"), WRITER, new byte[3]);
      String[][] routes = {
        {"GET", "/admin/stats", null},
        {"POST", "/admin/stats/reset", null},
        {"POST", "/admin/tiers/memory/clear", null},
        {"POST", "/admin/purge", "{\"olderThan\":\"1d\"}"},
        {"GET", "/admin/teams/acme/artifacts", null},
        {"GET", "/admin/artifacts/acme/aa", null},
        {"DELETE", "/admin/artifacts/acme/aa", null},
      };
      for (String[] r : routes) {
        assertThat(call(s, r[0], r[1], null, r[2]).statusCode()).as("%s %s without token", r[0], r[1]).isEqualTo(401);
        assertThat(call(s, r[0], r[1], READER, r[2]).statusCode()).as("%s %s read token", r[0], r[1]).isEqualTo(403);
        HttpResponse<byte[]> w = call(s, r[0], r[1], WRITER, r[2]);
        assertThat(w.statusCode()).as("%s %s readwrite token", r[0], r[1]).isEqualTo(403);
        assertThat(json(w).path("error").path("code").asText()).isEqualTo("forbidden");
      }
      assertThat(s.put("/admin/artifacts/acme/bb", WRITER, new byte[1]).statusCode()).isEqualTo(403);
      // server-wide routes need an admin for every team; team routes an admin for that team
      assertThat(call(s, "GET", "/admin/stats", ACME_ADMIN, null).statusCode()).isEqualTo(403);
      assertThat(call(s, "POST", "/admin/purge", ACME_ADMIN, "{\"olderThan\":\"1d\"}").statusCode()).isEqualTo(403);
      assertThat(call(s, "POST", "/admin/purge", ACME_ADMIN, "{\"olderThan\":\"1d\",\"team\":\"acme\"}").statusCode())
          .isEqualTo(200);
      assertThat(call(s, "GET", "/admin/teams/web/artifacts", ACME_ADMIN, null).statusCode()).isEqualTo(403);
      assertThat(call(s, "GET", "/admin/teams/acme/artifacts", ACME_ADMIN, null).statusCode()).isEqualTo(200);
      // every route answers an admin
      for (String[] r : routes) {
        assertThat(call(s, r[0], r[1], ADMIN, r[2]).statusCode()).as("%s %s admin", r[0], r[1]).isEqualTo(200);
      }
    }
  }

  @Test
  void statsPerTierAndTeamWithHitRatiosAndReset() throws Exception {
    try (TestServer s = start(Map.of())) {
      s.put(artifact("a1"), WRITER, new byte[100]);
      s.put(artifact("a2"), WRITER, new byte[50]);
      s.put("/v8/artifacts/b1?slug=web", ADMIN, new byte[7]);
      assertThat(s.get(artifact("a1"), READER).statusCode()).isEqualTo(200);
      assertThat(s.get(artifact("a1"), READER).statusCode()).isEqualTo(200);
      assertThat(s.get(artifact("a3"), READER).statusCode()).isEqualTo(404);

      JsonNode stats = json(s.get("/admin/stats", ADMIN));
      JsonNode acme = team(stats, "acme");
      assertThat(acme.path("hits").asLong()).isEqualTo(2);
      assertThat(acme.path("misses").asLong()).isEqualTo(1);
      assertThat(acme.path("hitRatio").asDouble()).isCloseTo(2.0 / 3, org.assertj.core.data.Offset.offset(1e-9));
      assertThat(acme.path("uploads").asLong()).isEqualTo(2);
      assertThat(acme.path("uploadedBytes").asLong()).isEqualTo(150);
      assertThat(acme.path("entries").asLong()).isEqualTo(2);
      assertThat(acme.path("bytes").asLong()).isEqualTo(150);
      JsonNode web = team(stats, "web");
      assertThat(web.path("entries").asLong()).isEqualTo(1);
      assertThat(web.path("hitRatio").isNull()).as("no lookups yet").isTrue();
      assertThat(stats.path("totals").path("hits").asLong()).isEqualTo(2);
      assertThat(stats.path("totals").path("entries").asLong()).isEqualTo(3);

      // Memory fills from reads: the first read of a1 came from disk and promoted it.
      JsonNode memory = tier(stats, "memory");
      assertThat(memory.path("hits").asLong()).isEqualTo(1);
      assertThat(memory.path("misses").asLong()).isEqualTo(2);
      assertThat(memory.path("entries").asLong()).isEqualTo(1);
      assertThat(memory.path("bytes").asLong()).isEqualTo(100);
      JsonNode disk = tier(stats, "disk");
      assertThat(disk.path("hits").asLong()).isEqualTo(1);
      assertThat(disk.path("misses").asLong()).isEqualTo(1);
      assertThat(disk.path("hitRatio").asDouble()).isEqualTo(0.5);
      assertThat(disk.path("entries").asLong()).isEqualTo(3);

      HttpResponse<byte[]> reset = call(s, "POST", "/admin/stats/reset", ADMIN, null);
      assertThat(reset.statusCode()).isEqualTo(200);
      JsonNode after = json(s.get("/admin/stats", ADMIN));
      assertThat(team(after, "acme").path("hits").asLong()).isZero();
      assertThat(team(after, "acme").path("entries").asLong()).as("storage is not reset").isEqualTo(2);
      assertThat(tier(after, "memory").path("hits").asLong()).isZero();
      assertThat(Instant.parse(after.path("since").asText()))
          .isAfterOrEqualTo(Instant.parse(stats.path("since").asText()));
      // Prometheus counters keep counting across a reset
      assertThat(new String(s.get("/metrics", null).body()))
          .contains("turbocache_team_lookups_total{result=\"hit\",team=\"acme\"} 2");
    }
  }

  @Test
  void deleteOneArtifactFromEveryTier() throws Exception {
    try (TestServer s = start(Map.of())) {
      s.put(artifact("d1"), WRITER, new byte[5]);
      s.put(artifact("d2"), WRITER, new byte[5]);
      HttpResponse<byte[]> del = call(s, "DELETE", "/admin/artifacts/acme/d1", ADMIN, null);
      assertThat(del.statusCode()).isEqualTo(200);
      assertThat(json(del).path("deleted").asBoolean()).isTrue();
      assertThat(s.get(artifact("d1"), READER).statusCode()).isEqualTo(404);
      assertThat(s.get(artifact("d2"), READER).statusCode()).isEqualTo(200);
      assertThat(call(s, "DELETE", "/admin/artifacts/acme/d1", ADMIN, null).statusCode()).isEqualTo(404);
      assertThat(call(s, "DELETE", "/admin/artifacts/acme/not-hex", ADMIN, null).statusCode()).isEqualTo(400);
    }
  }

  @Test
  void clearingATierLeavesTheOthers() throws Exception {
    try (TestServer s = start(Map.of())) {
      s.put(artifact("c1"), WRITER, new byte[10]);
      assertThat(s.get(artifact("c1"), READER).statusCode()).as("promotes into memory").isEqualTo(200);
      HttpResponse<byte[]> clear = call(s, "POST", "/admin/tiers/memory/clear", ADMIN, null);
      assertThat(clear.statusCode()).isEqualTo(200);
      assertThat(json(clear).path("removedEntries").asLong()).isEqualTo(1);
      JsonNode stats = json(s.get("/admin/stats", ADMIN));
      assertThat(tier(stats, "memory").path("entries").asLong()).isZero();
      assertThat(tier(stats, "disk").path("entries").asLong()).isEqualTo(1);
      assertThat(s.get(artifact("c1"), READER).statusCode()).as("still on disk").isEqualTo(200);
      assertThat(call(s, "POST", "/admin/tiers/memory/clear", ADMIN, null).statusCode()).isEqualTo(200);
      assertThat(call(s, "POST", "/admin/tiers/disk/clear", ADMIN, null).statusCode()).isEqualTo(200);
      assertThat(call(s, "POST", "/admin/tiers/memory/clear", ADMIN, null).statusCode()).isEqualTo(200);
      assertThat(s.head(artifact("c1"), READER).statusCode()).isEqualTo(404);
      assertThat(call(s, "POST", "/admin/tiers/s3/clear", ADMIN, null).statusCode()).isEqualTo(404);
    }
  }

  @Test
  void purgeRemovesOnlyArtifactsOlderThanTheAgeAndReportsThem() throws Exception {
    try (TestServer s = start(Map.of())) {
      String old = Instant.now().minus(Duration.ofDays(30)).toString();
      assertThat(s.put("/admin/artifacts/acme/01d", ADMIN, new byte[10], "x-artifact-created-at", old).statusCode())
          .isEqualTo(201);
      assertThat(s.put("/admin/artifacts/web/02d", ADMIN, new byte[20], "x-artifact-created-at", old).statusCode())
          .isEqualTo(201);
      s.put(artifact("fe5"), WRITER, new byte[30]);

      JsonNode dry = json(call(s, "POST", "/admin/purge", ADMIN, "{\"olderThan\":\"14d\",\"dryRun\":true}"));
      assertThat(dry.path("removed").asLong()).isEqualTo(2);
      assertThat(s.get("/v8/artifacts/01d?slug=acme", READER).statusCode()).as("dry run keeps it").isEqualTo(200);

      JsonNode teamOnly = json(call(s, "POST", "/admin/purge", ADMIN, "{\"olderThan\":\"14d\",\"team\":\"web\"}"));
      assertThat(teamOnly.path("removed").asLong()).isEqualTo(1);
      assertThat(teamOnly.path("artifacts")).extracting(JsonNode::asText).containsExactly("web/02d");

      s.put("/admin/artifacts/web/02d", ADMIN, new byte[20], "x-artifact-created-at", old);
      HttpResponse<byte[]> purge = call(s, "POST", "/admin/purge", ADMIN, "{\"olderThan\":\"14d\"}");
      assertThat(purge.statusCode()).isEqualTo(200);
      JsonNode report = json(purge);
      assertThat(report.path("removed").asLong()).isEqualTo(2);
      assertThat(report.path("bytes").asLong()).isEqualTo(30);
      assertThat(report.path("artifacts")).extracting(JsonNode::asText)
          .containsExactlyInAnyOrder("acme/01d", "web/02d");
      assertThat(report.path("teams").path("acme").path("artifacts").asLong()).isEqualTo(1);
      assertThat(report.path("teams").path("web").path("bytes").asLong()).isEqualTo(20);
      assertThat(s.get("/v8/artifacts/01d?slug=acme", READER).statusCode()).isEqualTo(404);
      assertThat(s.get(artifact("fe5"), READER).statusCode()).isEqualTo(200);

      assertThat(call(s, "POST", "/admin/purge", ADMIN, "{\"olderThan\":\"soon\"}").statusCode()).isEqualTo(400);
      assertThat(call(s, "POST", "/admin/purge", ADMIN, "{}").statusCode()).isEqualTo(400);
    }
  }

  @Test
  void adminDownloadAndUploadCarryEveryMetadataField() throws Exception {
    try (TestServer s = start(Map.of())) {
      String created = "2024-01-02T03:04:05Z";
      s.put("/admin/artifacts/acme/abc", ADMIN, "body".getBytes(), "x-artifact-duration", "1234",
          "x-artifact-tag", "sig", "x-artifact-sha", "deadbeef", "x-artifact-dirty-hash", "d1",
          "x-artifact-client-ci", "GITHUB_ACTIONS", "x-artifact-created-at", created);
      HttpResponse<byte[]> get = s.get("/admin/artifacts/acme/abc", ADMIN);
      assertThat(get.statusCode()).isEqualTo(200);
      assertThat(get.body()).isEqualTo("body".getBytes());
      assertThat(get.headers().firstValue("x-artifact-duration")).hasValue("1234");
      assertThat(get.headers().firstValue("x-artifact-tag")).hasValue("sig");
      assertThat(get.headers().firstValue("x-artifact-client-ci")).hasValue("GITHUB_ACTIONS");
      assertThat(get.headers().firstValue("x-artifact-created-at")).hasValue(created);
      JsonNode list = json(s.get("/admin/teams/acme/artifacts", ADMIN));
      assertThat(list.path("artifacts")).hasSize(1);
      JsonNode e = list.path("artifacts").get(0);
      assertThat(e.path("hash").asText()).isEqualTo("abc");
      assertThat(e.path("sha").asText()).isEqualTo("deadbeef");
      assertThat(e.path("dirtyHash").asText()).isEqualTo("d1");
      assertThat(e.path("createdAt").asText()).isEqualTo(created);
      assertThat(s.put("/admin/artifacts/acme/abd", ADMIN, new byte[1], "x-artifact-created-at", "yesterday")
          .statusCode()).isEqualTo(400);
    }
  }

  @Test
  void teamLabelsAreBoundedAndTheRestCountAsOther() throws Exception {
    try (TestServer s = start(Map.of("TURBOCACHE_METRICS_MAX_TEAMS", "2"))) {
      for (String team : new String[] {"t1", "t2", "t3", "t4"}) {
        assertThat(s.put("/v8/artifacts/aa?slug=" + team, ADMIN, new byte[4]).statusCode()).isEqualTo(202);
      }
      s.get("/v8/artifacts/aa?slug=t4", ADMIN);
      String metrics = new String(s.get("/metrics", null).body());
      assertThat(metrics)
          .contains("turbocache_artifacts_uploaded_total{team=\"t1\"} 1")
          .contains("turbocache_artifacts_uploaded_total{team=\"t2\"} 1")
          .contains("turbocache_artifacts_uploaded_total{team=\"other\"} 2")
          .contains("turbocache_artifacts_uploaded_bytes_total{team=\"other\"} 8")
          .contains("turbocache_team_lookups_total{result=\"hit\",team=\"other\"} 1")
          .doesNotContain("team=\"t3\"")
          .doesNotContain("team=\"t4\"");
      JsonNode stats = json(s.get("/admin/stats", ADMIN));
      assertThat(team(stats, "other").path("uploads").asLong()).isEqualTo(2);
      assertThat(team(stats, "t3").path("entries").asLong()).as("storage rows are per real team").isEqualTo(1);
    }
  }

  private static JsonNode team(JsonNode stats, String name) {
    for (JsonNode t : stats.path("teams")) {
      if (t.path("team").asText().equals(name)) {
        return t;
      }
    }
    throw new AssertionError("no team " + name + " in " + stats);
  }

  private static JsonNode tier(JsonNode stats, String name) {
    for (JsonNode t : stats.path("tiers")) {
      if (t.path("name").asText().equals(name)) {
        return t;
      }
    }
    throw new AssertionError("no tier " + name + " in " + stats);
  }
}
