package dev.turbocache.server.cli;

import static dev.turbocache.server.testing.TestServer.ADMIN;
import static dev.turbocache.server.testing.TestServer.READER;
import static dev.turbocache.server.testing.TestServer.WRITER;
import static dev.turbocache.server.testing.TestServer.artifact;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turbocache.server.auth.TokenDigest;
import dev.turbocache.server.auth.TokenSetup;
import dev.turbocache.server.http.Json;
import dev.turbocache.server.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operational commands, run in-process against real servers. */
class CliTest {
  @TempDir Path dir;

  record Run(int exitCode, String out, String err) {}

  static Run cli(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(env, false, new PrintWriter(out), new PrintWriter(err), args);
    return new Run(code, out.toString(), err.toString());
  }

  static Run cli(String... args) {
    return cli(Map.of(), args);
  }

  @Test
  void statsPrintsTablesFromTheAdminApi() {
    try (TestServer s = TestServer.start(dir)) {
      s.put(artifact("a1"), WRITER, new byte[2048]);
      s.get(artifact("a1"), READER);
      s.get(artifact("a1"), READER);
      s.get(artifact("a1"), READER);
      s.get(artifact("ff"), READER);
      Run r = cli(Map.of("TURBO_TOKEN", ADMIN), "stats", "--url", s.baseUrl());
      assertThat(r.exitCode()).as(r.err()).isZero();
      assertThat(r.out()).contains("TIER").contains("HIT RATIO").contains("TEAM");
      // the first read came from disk and filled memory
      assertThat(r.out()).containsPattern("(?m)^memory\\s+2\\s+2\\s+0\\s+50\\.0%\\s+1\\s+2\\.0 KiB$");
      assertThat(r.out()).containsPattern("(?m)^acme\\s+3\\s+1\\s+75\\.0%\\s+1\\s+2\\.0 KiB\\s+1\\s+2\\.0 KiB$");

      Run json = cli("stats", "--url", s.baseUrl(), "--token", ADMIN, "--json");
      assertThat(json.exitCode()).isZero();
      assertThat(json.out()).contains("\"hitRatio\" : 0.75");
    }
  }

  @Test
  void failuresGiveClearMessagesAndDistinctExitCodes() throws Exception {
    int closedPort;
    try (ServerSocket free = new ServerSocket(0)) {
      closedPort = free.getLocalPort();
    }
    Run refused = cli("stats", "--url", "http://127.0.0.1:" + closedPort, "--token", ADMIN);
    assertThat(refused.exitCode()).isEqualTo(3);
    assertThat(refused.err()).contains("cannot connect").contains("connection refused");

    try (TestServer s = TestServer.start(dir)) {
      Run unknown = cli("stats", "--url", s.baseUrl(), "--token", "no-such-token-000000000000");
      assertThat(unknown.exitCode()).isEqualTo(4);
      assertThat(unknown.err()).contains("401").doesNotContain("no-such-token");
      Run notAdmin = cli("gc", "--url", s.baseUrl(), "--token", WRITER, "--older-than", "14d");
      assertThat(notAdmin.exitCode()).isEqualTo(4);
      assertThat(notAdmin.err()).contains("403");
      Run noToken = cli("stats", "--url", s.baseUrl());
      assertThat(noToken.exitCode()).isEqualTo(2);
      assertThat(noToken.err()).contains("TURBO_TOKEN");
    }
    Run badAge = cli("gc", "--token", ADMIN, "--older-than", "two weeks");
    assertThat(badAge.exitCode()).isEqualTo(2);
    assertThat(badAge.err()).contains("--older-than");
    Run missing = cli("gc", "--token", ADMIN);
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).contains("--older-than");
    Run badUrl = cli("stats", "--url", "localhost:8080", "--token", ADMIN);
    assertThat(badUrl.exitCode()).isEqualTo(2);
    Run unknownCommand = cli("frobnicate");
    assertThat(unknownCommand.exitCode()).isEqualTo(2);
  }

  @Test
  void everyCommandHasHelp() {
    for (String command : List.of("serve", "stats", "gc", "export", "import", "revoke", "token", "check", "train")) {
      Run r = cli(command, "--help");
      assertThat(r.exitCode()).as(command).isZero();
      assertThat(r.out()).as(command).contains("Usage:").contains(command);
    }
    Run top = cli("--help");
    assertThat(top.out()).contains("stats").contains("gc").contains("export").contains("import").contains("revoke")
        .contains("token").contains("check").contains("train");
    // The command list shows each command's first description line: a whole sentence on one line.
    String commands = top.out().substring(top.out().indexOf("Commands:"), top.out().indexOf("Exit codes:"));
    assertThat(commands.lines().skip(1).filter(l -> !l.isBlank()))
        .as("command list\n%s", commands)
        .hasSize(10)
        .allSatisfy(l -> assertThat(l).matches("  [a-z]+ +[A-Z].*\\.").hasSizeLessThanOrEqualTo(80));
    assertThat(top.out().lines()).allSatisfy(l -> assertThat(l).hasSizeLessThanOrEqualTo(80));
    assertThat(cli("gc", "--help").out()).contains("Exit codes:").contains("--older-than");
  }

  /** With a tokens file the startup line cannot print a secret; it names a token and its team. */
  @Test
  void theStartupLineNamesATokenThatMayUploadAndATeamItMayUse() {
    try (TestServer s = TestServer.start(dir)) {
      assertThat(s.server().tokenSuggestion()).hasValue(new TokenSetup.Suggestion("ci", null, "acme"));
      assertThat(ServeCommand.exportLine(s.baseUrl(), s.server().tokenSuggestion()))
          .isEqualTo("export TURBO_API=" + s.baseUrl()
              + " TURBO_TOKEN=<the token named 'ci' in your tokens file> TURBO_TEAM=acme");
    }
  }

  @Test
  void gcPurgesThroughTheServerAndReports() {
    try (TestServer s = TestServer.start(dir)) {
      String old = Instant.now().minus(Duration.ofDays(20)).toString();
      s.put("/admin/artifacts/acme/0a", ADMIN, new byte[1024], "x-artifact-created-at", old);
      s.put(artifact("0b"), WRITER, new byte[10]);
      Run dry = cli("gc", "--url", s.baseUrl(), "--token", ADMIN, "--older-than", "14d", "--dry-run");
      assertThat(dry.exitCode()).as(dry.err()).isZero();
      assertThat(dry.out()).startsWith("would remove 1 artifact (1.0 KiB)");
      assertThat(s.head(artifact("0a"), READER).statusCode()).isEqualTo(200);
      Run gc = cli("gc", "--url", s.baseUrl(), "--token", ADMIN, "--older-than", "14d");
      assertThat(gc.exitCode()).as(gc.err()).isZero();
      assertThat(gc.out()).startsWith("removed 1 artifact (1.0 KiB)").contains("acme: 1 artifact,");
      assertThat(s.head(artifact("0a"), READER).statusCode()).isEqualTo(404);
      assertThat(s.head(artifact("0b"), READER).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void tokenPrintsATokenItsDigestAndAWorkingTokensEntry() throws Exception {
    Run r = cli("token", "--name", "deploy", "--team", "acme,web", "--access", "read");
    assertThat(r.exitCode()).as(r.err()).isZero();
    Matcher token = Pattern.compile("(?m)^token:\\s+(\\S+)$").matcher(r.out());
    Matcher digest = Pattern.compile("(?m)^sha256:\\s+([0-9a-f]{64})$").matcher(r.out());
    assertThat(token.find()).isTrue();
    assertThat(digest.find()).isTrue();
    assertThat(token.group(1)).hasSizeGreaterThanOrEqualTo(43);
    assertThat(digest.group(1)).isEqualTo(TokenDigest.hexOf(token.group(1)));
    Matcher entry = Pattern.compile("(?m)^  - \\{name: deploy.*\\}$").matcher(r.out());
    assertThat(entry.find()).isTrue();
    assertThat(entry.group()).contains("teams: [\"acme\", \"web\"]").contains("access: read")
        .doesNotContain(token.group(1));

    // the printed entry is accepted by a server, and the printed token works against it
    Files.writeString(dir.resolve("tokens.yaml"), "tokens:\n" + entry.group() + "\n");
    try (TestServer s = TestServer.start(dir)) {
      assertThat(s.get(artifact("ab"), token.group(1)).statusCode()).isEqualTo(404);
      assertThat(s.put(artifact("ab"), token.group(1), new byte[1]).statusCode()).isEqualTo(403);
    }
    assertThat(cli("token").out()).contains("teams: [\"*\"]").contains("access: readwrite");
    assertThat(cli("token", "--access", "root").exitCode()).isEqualTo(2);
    assertThat(cli("token", "--team", "../etc").exitCode()).isEqualTo(2);
    assertThat(cli("token").out()).isNotEqualTo(cli("token").out());
  }

  @Test
  void exportThenImportIntoAFreshServerRestoresArtifactsAndMetadataAndIsIdempotent() throws Exception {
    Path file = dir.resolve("backup/acme.tar");
    Map<String, HttpResponse<byte[]>> original = new HashMap<>();
    try (TestServer a = TestServer.start(Files.createDirectories(dir.resolve("a")))) {
      a.put(artifact("01"), WRITER, "first".getBytes(), "x-artifact-duration", "1200",
          "x-artifact-tag", "sig-1", "x-artifact-sha", "abc123", "x-artifact-client-ci", "GITHUB_ACTIONS");
      a.put(artifact("02"), WRITER, new byte[300_000], "x-artifact-dirty-hash", "d1");
      a.put(artifact("03"), WRITER, new byte[0]);
      a.put("/v8/artifacts/04?slug=web", ADMIN, "other team".getBytes());
      for (String h : List.of("01", "02", "03")) {
        original.put(h, a.get("/admin/artifacts/acme/" + h, ADMIN));
      }
      Run export = cli("export", "--url", a.baseUrl(), "--token", ADMIN, "--team", "acme", "--output", file.toString());
      assertThat(export.exitCode()).as(export.err()).isZero();
      assertThat(export.out()).contains("export: 3/3 artifacts (100%)").contains("exported 3 artifacts");
    }
    assertThat(Files.exists(file)).isTrue();
    assertThat(Files.exists(dir.resolve("backup/acme.tar.partial"))).isFalse();
    assertThat(tarNames(file)).containsExactly("turbocache-export.json",
        "artifacts/01.json", "artifacts/01", "artifacts/02.json", "artifacts/02", "artifacts/03.json", "artifacts/03");

    try (TestServer b = TestServer.start(Files.createDirectories(dir.resolve("b")))) {
      b.put(artifact("03"), WRITER, new byte[0]); // already there with the same size: skipped
      Run imp = cli("import", "--url", b.baseUrl(), "--token", ADMIN, "--input", file.toString());
      assertThat(imp.exitCode()).as(imp.err()).isZero();
      assertThat(imp.out()).contains("imported 2 artifacts").contains("skipped 1 already present");
      for (String h : List.of("01", "02")) {
        HttpResponse<byte[]> restored = b.get("/admin/artifacts/acme/" + h, ADMIN);
        assertThat(restored.body()).isEqualTo(original.get(h).body());
        for (String header : List.of("x-artifact-duration", "x-artifact-tag", "x-artifact-sha",
            "x-artifact-dirty-hash", "x-artifact-client-ci", "x-artifact-created-at", "content-length")) {
          assertThat(restored.headers().firstValue(header)).as("%s of %s", header, h)
              .isEqualTo(original.get(h).headers().firstValue(header));
        }
      }
      assertThat(b.get("/v8/artifacts/04?slug=web", ADMIN).statusCode()).as("other teams stay out").isEqualTo(404);

      Run again = cli("import", "--url", b.baseUrl(), "--token", ADMIN, "--input", file.toString());
      assertThat(again.exitCode()).isZero();
      assertThat(again.out()).contains("imported 0 artifacts").contains("skipped 3 already present");

      Run renamed = cli("import", "--url", b.baseUrl(), "--token", ADMIN, "--input", file.toString(), "--team", "copy");
      assertThat(renamed.exitCode()).as(renamed.err()).isZero();
      assertThat(b.get("/v8/artifacts/01?slug=copy", ADMIN).body()).isEqualTo("first".getBytes());
    }
  }

  @Test
  void importRefusesFilesThatAreNotExports() throws Exception {
    Path bogus = dir.resolve("bogus.tar");
    Files.write(bogus, new byte[2048]);
    try (TestServer s = TestServer.start(dir)) {
      Run r = cli("import", "--url", s.baseUrl(), "--token", ADMIN, "--input", bogus.toString());
      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.err()).contains("not a TurboCache export");
      Run missing = cli("import", "--url", s.baseUrl(), "--token", ADMIN, "--input", dir.resolve("nope.tar").toString());
      assertThat(missing.exitCode()).isEqualTo(2);
      assertThat(missing.err()).contains("no such file");
    }
  }

  @Test
  void progressIsABarOnATerminalAndLinesOtherwise() {
    StringWriter bar = new StringWriter();
    Progress p = new Progress(new PrintWriter(bar), true, "export", 4);
    for (int i = 0; i < 4; i++) {
      p.step(1024);
    }
    p.finish();
    assertThat(bar.toString()).contains("\rexport [").contains("] 4/4  4.0 KiB").endsWith(System.lineSeparator());

    StringWriter lines = new StringWriter();
    Progress q = new Progress(new PrintWriter(lines), false, "import", 100);
    for (int i = 0; i < 100; i++) {
      q.step(1);
    }
    assertThat(lines.toString()).doesNotContain("\r");
    assertThat(lines.toString().lines().count()).isEqualTo(10);
    assertThat(lines.toString().lines().toList().getLast()).isEqualTo("import: 100/100 artifacts (100%), 100 B");
  }

  static List<String> tarNames(Path file) throws IOException {
    List<String> names = new ArrayList<>();
    try (InputStream in = Files.newInputStream(file); TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        names.add(e.getName());
      }
    }
    return names;
  }

  static JsonNode json(byte[] body) throws IOException {
    return Json.MAPPER.readTree(body);
  }
}
