package dev.turbocache.server.jar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turbocache.server.auth.TokenDigest;
import dev.turbocache.server.http.Json;
import dev.turbocache.server.testing.DroppedAnswerServer;
import dev.turbocache.server.testing.JarCommand;
import dev.turbocache.server.testing.ServerJarProcess;
import java.net.ServerSocket;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command of the packaged jar, each run as its own {@code java -jar} process against the
 * packaged server running zero-config, with its exit code and output checked.
 */
class CliJarIT {
  @TempDir static Path dir;
  static ServerJarProcess server;

  @TempDir Path work;

  @BeforeAll
  static void start() {
    server = ServerJarProcess.start(dir.resolve("server"));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  /** The command with TURBO_API and TURBO_TOKEN from the server's startup line, as a user pastes them. */
  private JarCommand.Result cli(String... args) {
    return JarCommand.run(work, Map.of("TURBO_API", server.baseUrl(), "TURBO_TOKEN", server.token()), args);
  }

  private void upload(String team, String hash, byte[] body, Map<String, String> headers) {
    var request = server.request("/admin/artifacts/" + team + "/" + hash)
        .header("Content-Type", "application/octet-stream")
        .PUT(BodyPublishers.ofByteArray(body));
    headers.forEach(request::header);
    assertThat(server.send(request).statusCode()).as("admin upload of %s/%s", team, hash).isEqualTo(201);
  }

  private HttpResponse<byte[]> download(String team, String hash) {
    return server.send(server.request("/admin/artifacts/" + team + "/" + hash));
  }

  private static Map<String, String> createdAgo(Duration age) {
    return Map.of("x-artifact-created-at", Instant.now().minus(age).toString());
  }

  /** The flags beat the environment: its port here is out of range and its data dir elsewhere. */
  @Test
  void serveTakesHostPortAndDataDirFromItsFlags() throws Exception {
    Path data = work.resolve("flag-data");
    Path envData = work.resolve("env-data");
    try (ServerJarProcess flagged = ServerJarProcess.start(work.resolve("flagged"),
        Map.of("TURBOCACHE_SERVER_PORT", "70000", "TURBOCACHE_SERVER_DATA_DIR", envData.toString()),
        "serve", "--host", "127.0.0.1", "--port", "0", "--data-dir", data.toString())) {
      assertThat(flagged.baseUrl()).startsWith("http://127.0.0.1:").doesNotEndWith(":70000");
      assertThat(Files.readString(data.resolve("token")).strip()).isEqualTo(flagged.token());
      assertThat(envData).doesNotExist();
      assertThat(flagged.send(flagged.request("/v8/artifacts/status")).statusCode()).isEqualTo(200);
    }
    // Without a command the jar serves, with serve's options too.
    for (String[] args : List.of(new String[] {"serve", "--port", "eighty"}, new String[] {"--port", "eighty"})) {
      JarCommand.Result bad = JarCommand.run(work, Map.of(), args);
      assertThat(bad.exitCode()).as("%s", bad).isEqualTo(2);
      assertThat(bad.stderr()).as("%s", bad).contains("Invalid value for option '--port': 'eighty'");
    }
  }

  /** What stops a start is said in one line, with the exit code of its kind, and no stack trace. */
  @Test
  void serveThatCannotStartSaysWhyInOneLine() throws Exception {
    Path file = Files.writeString(work.resolve("not-a-directory"), "x");
    JarCommand.Result dataDir = JarCommand.run(work, Map.of(), "serve", "--port", "0", "--data-dir", file.toString());
    assertThat(dataDir.exitCode()).as("%s", dataDir).isEqualTo(1);
    assertThat(dataDir.stderr().lines().filter(l -> l.startsWith("turbocache:")))
        .containsExactly("turbocache: cannot create the data directory " + file + " (server.dataDir): "
            + file + " exists and is not a directory");
    assertThat(dataDir.stderr()).doesNotContain("Exception").doesNotContain("\tat ");

    Path missing = work.resolve("tokens.yaml");
    JarCommand.Result tokens = JarCommand.run(work, Map.of("TURBOCACHE_AUTH_TOKENS_FILE", missing.toString()),
        "serve", "--port", "0", "--data-dir", work.resolve("data").toString());
    assertThat(tokens.exitCode()).as("%s", tokens).isEqualTo(2);
    assertThat(tokens.stderr().lines().filter(l -> l.startsWith("turbocache:")))
        .containsExactly("turbocache: tokens file " + missing + ": file not found");
    assertThat(tokens.stderr()).doesNotContain("Exception");

    Path config = Files.writeString(work.resolve("kinds.yaml"), "server: {port: abc}\n");
    JarCommand.Result kind = JarCommand.run(work, Map.of(), "serve", "--config", config.toString());
    assertThat(kind.exitCode()).as("%s", kind).isEqualTo(2);
    assertThat(kind.stderr().lines().filter(l -> l.startsWith("turbocache:"))).containsExactly(
        "turbocache: server.port (TURBOCACHE_SERVER_PORT): expected a whole number, not 'abc'");
    JarCommand.Result typo = JarCommand.run(work, Map.of("TURBOCACHE_AUTH_TOKEN_FILE", "t.yaml"), "serve");
    assertThat(typo.exitCode()).as("%s", typo).isEqualTo(2);
    assertThat(typo.stderr()).contains("did you mean TURBOCACHE_AUTH_TOKENS_FILE?");
  }

  @Test
  void statsPrintsTablesAndJson() throws Exception {
    upload("stats", "5a", new byte[2048], Map.of());
    assertThat(server.send(server.request("/v8/artifacts/5a?slug=stats")).statusCode()).isEqualTo(200);
    assertThat(server.send(server.request("/v8/artifacts/5b?slug=stats")).statusCode()).isEqualTo(404);

    JarCommand.Result tables = cli("stats");
    assertThat(tables.exitCode()).as("%s", tables).isZero();
    assertThat(tables.stdout()).startsWith("TurboCache at " + server.baseUrl() + ", counting since ")
        .containsPattern("(?m)^TIER\\s+HITS\\s+MISSES\\s+ERRORS\\s+HIT RATIO\\s+ENTRIES\\s+SIZE$")
        .containsPattern("(?m)^memory\\s+\\d+")
        .containsPattern("(?m)^disk\\s+\\d+")
        .containsPattern("(?m)^stats\\s+1\\s+1\\s+50\\.0%\\s+0\\s+0 B\\s+1\\s+2\\.0 KiB$")
        .containsPattern("(?m)^TOTAL\\s+");

    JarCommand.Result json = cli("stats", "--json");
    assertThat(json.exitCode()).as("%s", json).isZero();
    JsonNode stats = Json.MAPPER.readTree(json.stdout());
    Instant.parse(stats.path("since").asText());
    assertThat(stats.path("tiers").findValuesAsText("name")).containsExactly("memory", "disk");
    JsonNode team = stats.path("teams").findParents("team").stream()
        .filter(t -> t.path("team").asText().equals("stats")).findFirst().orElseThrow();
    assertThat(team.path("hitRatio").asDouble()).isEqualTo(0.5);
    assertThat(team.path("bytes").asLong()).isEqualTo(2048);
  }

  /** A purge end to end: the dry run removes nothing, the real one removes what it reported. */
  @Test
  void gcDryRunRemovesNothingAndGcRemovesWhatItReported() {
    upload("gc", "6a", new byte[1024], createdAgo(Duration.ofDays(30)));
    upload("gc", "6b", new byte[512], createdAgo(Duration.ofDays(20)));
    upload("gc", "6c", new byte[10], createdAgo(Duration.ofDays(1)));

    JarCommand.Result dry = cli("gc", "--older-than", "14d", "--team", "gc", "--dry-run");
    assertThat(dry.exitCode()).as("%s", dry).isZero();
    assertThat(dry.stdout()).startsWith("would remove 2 artifacts (1.5 KiB) uploaded before ")
        .contains("for team gc").contains("  gc: 2 artifacts, 1.5 KiB");
    for (String hash : List.of("6a", "6b", "6c")) {
      assertThat(download("gc", hash).statusCode()).as("%s after the dry run", hash).isEqualTo(200);
    }

    JarCommand.Result gc = cli("gc", "--older-than", "14d", "--team", "gc");
    assertThat(gc.exitCode()).as("%s", gc).isZero();
    assertThat(gc.stdout()).startsWith("removed 2 artifacts (1.5 KiB) uploaded before ")
        .contains("  gc: 2 artifacts, 1.5 KiB");
    assertThat(gc.stderr()).isEmpty();
    assertThat(download("gc", "6a").statusCode()).isEqualTo(404);
    assertThat(download("gc", "6b").statusCode()).isEqualTo(404);
    assertThat(download("gc", "6c").statusCode()).as("younger than 14d").isEqualTo(200);
  }

  @Test
  void exportThenWipeThenImportRestoresEveryArtifactByteForByte() throws Exception {
    Map<String, byte[]> bodies = new LinkedHashMap<>();
    for (int i = 0; i < 3; i++) {
      byte[] body = new byte[1000 + i * 777];
      for (int b = 0; b < body.length; b++) {
        body[b] = (byte) (b * 31 + i);
      }
      String hash = "7" + i;
      bodies.put(hash, body);
      upload("backup", hash, body, Map.of("x-artifact-duration", "42" + i, "x-artifact-tag", "tag" + i,
          "x-artifact-sha", "c".repeat(40), "x-artifact-created-at", "2026-01-0" + (i + 1) + "T00:00:00Z"));
    }
    Path file = work.resolve("backup.tar");

    // The file as the argument, as tar takes it; --output FILE is the same (CliTest).
    JarCommand.Result export = cli("export", "--team", "backup", file.toString());
    assertThat(export.exitCode()).as("%s", export).isZero();
    assertThat(export.stdout()).contains("export: 3/3 artifacts (100%)")
        .contains("exported 3 artifacts (").contains("of team backup to " + file);
    assertThat(file).isRegularFile();

    for (String hash : bodies.keySet()) {
      assertThat(server.send(server.request("/admin/artifacts/backup/" + hash).DELETE()).statusCode())
          .isEqualTo(200);
      assertThat(download("backup", hash).statusCode()).as("%s wiped", hash).isEqualTo(404);
    }

    JarCommand.Result restore = cli("import", "--input", file.toString());
    assertThat(restore.exitCode()).as("%s", restore).isZero();
    assertThat(restore.stdout()).contains("imported 3 artifacts").contains("into team backup, skipped 0");
    int i = 0;
    for (Map.Entry<String, byte[]> e : bodies.entrySet()) {
      HttpResponse<byte[]> r = download("backup", e.getKey());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).as("bytes of %s", e.getKey()).isEqualTo(e.getValue());
      assertThat(r.headers().firstValue("x-artifact-duration")).hasValue("42" + i);
      assertThat(r.headers().firstValue("x-artifact-tag")).hasValue("tag" + i);
      assertThat(r.headers().firstValue("x-artifact-created-at")).hasValue("2026-01-0" + (i + 1) + "T00:00:00Z");
      i++;
    }

    JarCommand.Result again = cli("import", file.toString());
    assertThat(again.exitCode()).as("%s", again).isZero();
    assertThat(again.stdout()).contains("imported 0 artifacts").contains("skipped 3 already present");

    JarCommand.Result noFile = cli("import");
    assertThat(noFile.exitCode()).as("%s", noFile).isEqualTo(2);
    assertThat(noFile.stderr()).contains("Missing required argument (specify one of these): (-i=FILE | FILE)");
  }

  /**
   * The packaged CLI's own HTTP client, without the test JVM's settings: an upload whose kept-alive
   * connection closed before any byte of an answer is sent again on a new one, as turbo's are.
   */
  @Test
  void anImportSendsAnUploadAgainWhenItsConnectionClosedUnanswered() throws Exception {
    byte[] body = new byte[5000];
    for (int b = 0; b < body.length; b++) {
      body[b] = (byte) (b * 7);
    }
    upload("again", "a1", body, Map.of());
    upload("again", "a2", body, Map.of());
    Path file = work.resolve("again.tar");
    assertThat(cli("export", "--team", "again", "--output", file.toString()).exitCode()).isZero();

    try (DroppedAnswerServer dropping = new DroppedAnswerServer(2, "{\"team\":\"again\",\"artifacts\":[]}")) {
      JarCommand.Result r = JarCommand.run(work,
          Map.of("TURBO_API", dropping.baseUrl(), "TURBO_TOKEN", server.token()), "import", "--input", file.toString());
      assertThat(r.exitCode()).as("%s", r).isZero();
      assertThat(r.stdout()).contains("imported 2 artifacts");
      List<DroppedAnswerServer.Request> seen = dropping.requests();
      assertThat(seen).extracting(DroppedAnswerServer.Request::connection, DroppedAnswerServer.Request::method)
          .containsExactly(tuple(1, "GET"), tuple(1, "PUT"), tuple(2, "PUT"), tuple(2, "PUT"));
      assertThat(seen.get(2).path()).as("the dropped upload, sent again").isEqualTo(seen.get(1).path());
      assertThat(seen.subList(1, 4)).allSatisfy(put -> assertThat(put.body()).isEqualTo(body));
    }
  }

  @Test
  void tokenPrintsATokenItsDigestAndATokensFileEntry() {
    JarCommand.Result r = JarCommand.run(work, Map.of(), "token", "--name", "pr", "--team", "acme",
        "--access", "read");
    assertThat(r.exitCode()).as("%s", r).isZero();
    Matcher token = Pattern.compile("(?m)^token:  (\\S{43})$").matcher(r.stdout());
    assertThat(token.find()).as("%s", r).isTrue();
    String digest = TokenDigest.hexOf(token.group(1));
    assertThat(r.stdout()).contains("sha256: " + digest)
        .contains("  - {name: pr, sha256: \"" + digest + "\", teams: [\"acme\"], access: read}");
  }

  @Test
  void failuresHaveTheirOwnExitCodes() throws Exception {
    JarCommand.Result wrongToken = JarCommand.run(work,
        Map.of("TURBO_API", server.baseUrl(), "TURBO_TOKEN", "not-the-token"), "stats");
    assertThat(wrongToken.exitCode()).as("%s", wrongToken).isEqualTo(4);
    assertThat(wrongToken.stderr()).contains("refused the token (401");

    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    JarCommand.Result unreachable = cli("stats", "--url", "http://127.0.0.1:" + closed);
    assertThat(unreachable.exitCode()).as("%s", unreachable).isEqualTo(3);
    assertThat(unreachable.stderr()).contains("cannot connect");

    JarCommand.Result badArgs = cli("gc");
    assertThat(badArgs.exitCode()).as("%s", badArgs).isEqualTo(2);
    assertThat(badArgs.stderr()).contains("--older-than");
    assertThat(cli("gc", "--older-than", "soon").exitCode()).isEqualTo(2);

    Path notAnExport = Files.writeString(work.resolve("notes.txt"), "hello", StandardCharsets.UTF_8);
    JarCommand.Result failed = cli("import", "--input", notAnExport.toString());
    assertThat(failed.exitCode()).as("%s", failed).isEqualTo(1);
    assertThat(failed.stderr()).contains("is not a TurboCache export");
  }

  /**
   * {@code check} judges what serve would read with the server's own parsers, starting nothing: a
   * good configuration and its files, a tokens file with a bad line (named, its token never
   * printed), a tokens Secret's content piped in, a typo in the configuration.
   */
  @Test
  void checkJudgesTheConfigAndTheFilesTheServerWouldRead() throws Exception {
    String secret = "check-secret-token-5d1c8e";
    Path tokens = Files.writeString(work.resolve("tokens.yaml"),
        "tokens:\n  - {name: ci, token: \"" + secret + "\", teams: [acme], access: readwrite}\n"
            + "  - {name: ro, token: \"check-other-token-77aa01\", teams: [acme], access: read}\n");
    Path ids = Files.writeString(work.resolve("revoked-token-ids.txt"), "# leaked\nleaked-job-1\n");
    Path config = Files.writeString(work.resolve("config.yaml"), "storage:\n  tiers: [memory]\n"
        + "auth:\n  tokensFile: " + tokens + "\n  jwt:\n    revokedIdsFile: " + ids + "\n");

    JarCommand.Result valid = JarCommand.run(work, Map.of(), "check", "--config", config.toString());
    assertThat(valid.exitCode()).as("%s", valid).isZero();
    assertThat(valid.stdout().lines()).containsExactly(
        "configuration " + config + ": valid, tiers memory, write-through",
        "tokens file " + tokens + ": valid, 2 token(s)",
        "revoked token ids file " + ids + ": valid, 1 id(s)");

    Files.writeString(tokens, "tokens:\n  - {name: ci, token: \"" + secret + "\", teams: [acme], access: rw}\n");
    JarCommand.Result refused = JarCommand.run(work, Map.of(), "check", "--config", config.toString());
    assertThat(refused.exitCode()).as("%s", refused).isEqualTo(1);
    assertThat(refused.stdout()).as("%s", refused)
        .contains("configuration " + config + ": valid")
        .contains("tokens file " + tokens + ": INVALID: tokens[0] 'ci': access 'rw' is not one of read, readwrite, admin")
        .contains("revoked token ids file " + ids + ": valid")
        .doesNotContain(secret);

    JarCommand.Result piped = JarCommand.runWithInput(work, Map.of(),
        "tokens:\n  - {name: ci, token: \"x\", teams: [acme], access: readwrite}\n".getBytes(StandardCharsets.UTF_8),
        "check", "--tokens-file", "-");
    assertThat(piped.exitCode()).as("%s", piped).isZero();
    assertThat(piped.stdout().strip()).isEqualTo("tokens file <standard input>: valid, 1 token(s)");

    JarCommand.Result missing = JarCommand.run(work, Map.of(), "check", "--revoked-ids-file", work.resolve("nowhere.txt").toString());
    assertThat(missing.exitCode()).as("%s", missing).isEqualTo(1);
    assertThat(missing.stdout()).contains("INVALID: ").contains("not found");

    JarCommand.Result typo = JarCommand.run(work, Map.of("TURBOCACHE_AUTH_TOKEN_FILE", "t.yaml"), "check");
    assertThat(typo.exitCode()).as("%s", typo).isEqualTo(1);
    assertThat(typo.stdout()).contains("configuration (built-in defaults and environment): INVALID: ")
        .contains("TURBOCACHE_AUTH_TOKEN_FILE");

    JarCommand.Result both = JarCommand.run(work, Map.of(), "check", "--config", config.toString(), "--tokens-file", "-");
    assertThat(both.exitCode()).as("%s", both).isEqualTo(2);
  }

  @Test
  void topLevelHelpListsEveryCommandWithAWholeSentence() {
    JarCommand.Result r = JarCommand.run(work, Map.of(), "--help");
    assertThat(r.exitCode()).as("%s", r).isZero();
    assertThat(r.stdout())
        .containsPattern("(?m)^  stats +Show hits, misses and sizes per tier and per team\\.$")
        .containsPattern("(?m)^  export +Back up one team's artifacts into a tar file\\.$")
        .containsPattern("(?m)^  import +Restore an export file into a running server\\.$");
  }
}
