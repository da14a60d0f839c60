package dev.turbocache.server.jar;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turbocache.server.http.AccessLog;
import dev.turbocache.server.http.Json;
import dev.turbocache.server.testing.ResponseSchema;
import dev.turbocache.server.testing.ServerJarProcess;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged server jar started with no configuration at all, as the README's first command
 * does, and every route its own {@code /openapi.json} documents called with a valid request.
 */
class ServerJarIT {
  private static final String HASH = "0123abcd";
  private static final String ADMIN_HASH = "4567ef";
  private static final byte[] BODY = "artifact bytes".getBytes(StandardCharsets.UTF_8);

  @TempDir static Path dir;
  static ServerJarProcess server;

  @BeforeAll
  static void start() {
    server = ServerJarProcess.start(dir);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void zeroConfigPrintsATokenAndATeamThatWorkAndKeepsItsDataUnderTheUsersDataDirectory() throws Exception {
    assertThat(server.baseUrl()).matches("http://127\\.0\\.0\\.1:\\d+");
    assertThat(server.team()).isEqualTo("local");
    Path tokenFile = ServerJarProcess.dataHome(dir).resolve("turbocache/token");
    assertThat(Files.readString(tokenFile).strip()).isEqualTo(server.token());

    HttpResponse<byte[]> status = server.send(server.request("/v8/artifacts/status?slug=" + server.team()));
    assertThat(status.statusCode()).as("%s", server).isEqualTo(200);
    HttpResponse<byte[]> wrongToken = server.send(server.request("/v8/artifacts/status?slug=local")
        .setHeader("Authorization", "Bearer not-the-token"));
    assertThat(wrongToken.statusCode()).isEqualTo(401);
  }

  /**
   * One valid request per documented operation, in an order where each finds what it needs (the
   * upload before the download...). The test fails when the document has an operation this table
   * does not cover, or the table one the document does not have.
   */
  private static List<Call> calls() {
    String team = server.team();
    String q = "?slug=" + team;
    return List.of(
        new Call("GET /openapi.json", 200, s -> s.request("/openapi.json")),
        new Call("GET /healthz/live", 200, s -> s.request("/healthz/live")),
        new Call("GET /healthz/ready", 200, s -> s.request("/healthz/ready")),
        new Call("GET /v8/artifacts/status", 200, s -> s.request("/v8/artifacts/status" + q)),
        new Call("OPTIONS /v8/artifacts/{hash}", 200, s -> preflight(s, "/v8/artifacts/" + HASH + q, "PUT")),
        new Call("PUT /v8/artifacts/{hash}", 202, s -> s.request("/v8/artifacts/" + HASH + q)
            .header("Content-Type", "application/octet-stream")
            .header("x-artifact-duration", "1234")
            .header("x-artifact-tag", "c2lnbmF0dXJl")
            .header("x-artifact-sha", "a".repeat(40))
            .header("x-artifact-dirty-hash", "b".repeat(64))
            .header("x-artifact-client-ci", "GITHUB_ACTIONS")
            .PUT(BodyPublishers.ofByteArray(BODY))),
        new Call("HEAD /v8/artifacts/{hash}", 200, s -> s.request("/v8/artifacts/" + HASH + q)
            .method("HEAD", BodyPublishers.noBody())),
        new Call("GET /v8/artifacts/{hash}", 200, s -> s.request("/v8/artifacts/" + HASH + q)),
        new Call("OPTIONS /v8/artifacts", 200, s -> preflight(s, "/v8/artifacts" + q, "POST")),
        new Call("POST /v8/artifacts", 200, s -> json(s.request("/v8/artifacts" + q),
            "{\"hashes\":[\"" + HASH + "\",\"ffff\"]}")),
        new Call("OPTIONS /v8/artifacts/events", 200, s -> preflight(s, "/v8/artifacts/events" + q, "POST")),
        new Call("POST /v8/artifacts/events", 200, s -> json(s.request("/v8/artifacts/events" + q),
            "[{\"sessionId\":\"6f1c3b55-2d55-4c1e-9c53-0d3c1f0d9a10\",\"source\":\"REMOTE\","
                + "\"event\":\"HIT\",\"hash\":\"" + HASH + "\",\"duration\":1234}]")),
        new Call("GET /v2/user", 200, s -> s.request("/v2/user")),
        new Call("GET /v2/teams", 200, s -> s.request("/v2/teams?limit=100")),
        new Call("GET /v2/teams/{id}", 200, s -> s.request("/v2/teams/team_" + team)),
        new Call("GET /metrics", 200, s -> s.request("/metrics")),
        new Call("GET /admin/stats", 200, s -> s.request("/admin/stats")),
        new Call("POST /admin/stats/reset", 200, s -> s.request("/admin/stats/reset")
            .POST(BodyPublishers.noBody())),
        new Call("GET /admin/teams/{team}/artifacts", 200, s -> s.request("/admin/teams/" + team + "/artifacts")),
        new Call("GET /admin/artifacts/{team}/{hash}", 200, s -> s.request("/admin/artifacts/" + team + "/" + HASH)),
        new Call("PUT /admin/artifacts/{team}/{hash}", 201, s -> s.request("/admin/artifacts/" + team + "/" + ADMIN_HASH)
            .header("Content-Type", "application/octet-stream")
            .header("x-artifact-created-at", Instant.now().minus(Duration.ofDays(3)).toString())
            .PUT(BodyPublishers.ofByteArray(BODY))),
        new Call("DELETE /admin/artifacts/{team}/{hash}", 200, s -> s.request("/admin/artifacts/" + team + "/" + ADMIN_HASH)
            .DELETE()),
        new Call("POST /admin/purge", 200, s -> json(s.request("/admin/purge"),
            "{\"olderThan\":\"1d\",\"dryRun\":true}")),
        // Zero-config trusts no JWT issuer: there is nothing to revoke (JwtAuthJarIT revokes).
        new Call("POST /admin/tokens/revoke", 400, s -> json(s.request("/admin/tokens/revoke"),
            "{\"jti\":\"an-id\"}")),
        new Call("POST /admin/tiers/{tier}/clear", 200, s -> s.request("/admin/tiers/memory/clear")
            .POST(BodyPublishers.noBody())));
  }

  /** What one documented operation is sent and must answer. */
  private record Call(String operation, int status, Function<ServerJarProcess, HttpRequest.Builder> request) {}

  @Test
  void everyDocumentedRouteAnswersAValidRequestWithADocumentedStatusAndBody() {
    OpenAPI api = servedDocument();
    Map<String, Operation> documented = new TreeMap<>();
    api.getPaths().forEach((path, item) -> item.readOperationsMap()
        .forEach((method, op) -> documented.put(method.name() + " " + path, op)));
    List<Call> calls = calls();
    Set<String> covered = new TreeSet<>(calls.stream().map(Call::operation).toList());
    assertThat(covered).as("operations the request table covers").isEqualTo(documented.keySet());

    SoftAssertions softly = new SoftAssertions();
    for (Call call : calls) {
      HttpResponse<byte[]> r = server.send(call.request().apply(server));
      String body = new String(r.body(), StandardCharsets.UTF_8);
      Map<String, ApiResponse> responses = documented.get(call.operation()).getResponses();
      softly.assertThat(responses.keySet()).as("statuses %s documents", call.operation())
          .contains(Integer.toString(r.statusCode()));
      softly.assertThat(r.statusCode()).as("%s -> %s", call.operation(), body).isEqualTo(call.status());
      ApiResponse documentedResponse = responses.get(Integer.toString(r.statusCode()));
      if (documentedResponse != null) {
        checkAgainstDocument(softly, call.operation(), r, documentedResponse);
      }
    }
    softly.assertAll();
  }

  private static void checkAgainstDocument(SoftAssertions softly, String operation,
      HttpResponse<byte[]> r, ApiResponse documented) {
    if (documented.getHeaders() != null) {
      for (String header : documented.getHeaders().keySet()) {
        softly.assertThat(r.headers().firstValue(header)).as("%s header %s", operation, header).isPresent();
      }
    }
    if (documented.getContent() == null || operation.startsWith("HEAD ")) {
      return;
    }
    String contentType = r.headers().firstValue("content-type").orElse("");
    softly.assertThat(documented.getContent().keySet()).as("%s content type %s", operation, contentType)
        .anySatisfy(documentedType -> assertThat(contentType).startsWith(documentedType));
    MediaType json = documented.getContent().get("application/json");
    if (json != null && contentType.startsWith("application/json")) {
      try {
        JsonNode body = Json.MAPPER.readTree(r.body());
        softly.assertThat(ResponseSchema.problems(json.getSchema(), body))
            .as("%s body %s", operation, body).isEmpty();
      } catch (java.io.IOException e) {
        softly.fail(operation + " answered a body that is not JSON: " + new String(r.body(), StandardCharsets.UTF_8));
      }
    }
  }

  /** The document the server serves, parsed with every $ref resolved. */
  private static OpenAPI servedDocument() {
    HttpResponse<byte[]> r = server.send(server.request("/openapi.json"));
    assertThat(r.statusCode()).isEqualTo(200);
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    options.setResolveFully(true);
    SwaggerParseResult parsed = new OpenAPIV3Parser()
        .readContents(new String(r.body(), StandardCharsets.UTF_8), null, options);
    assertThat(parsed.getMessages()).as("OpenAPI parser messages").isEmpty();
    return parsed.getOpenAPI();
  }

  @Test
  void jsonLogLinesCarryAnIsoTimestampAndFormattedMessagesAndNeverTheToken() {
    String id = "log-check-" + System.nanoTime();
    assertThat(server.send(server.request("/healthz/live").header("x-request-id", id)).statusCode())
        .isEqualTo(200);
    org.awaitility.Awaitility.await("the access line of " + id).atMost(Duration.ofSeconds(30))
        .until(() -> server.jsonLogLines().stream().anyMatch(l -> id.equals(l.path("requestId").asText())));

    List<JsonNode> lines = server.jsonLogLines();
    assertThat(lines).as("%s", server).isNotEmpty().allSatisfy(line -> {
      assertThat(Instant.parse(line.path(AccessLog.TIMESTAMP_FIELD).asText()))
          .as("ISO-8601 timestamp of %s", line).isBeforeOrEqualTo(Instant.now());
      assertThat(line.path("message").asText()).as("%s", line).doesNotContain("{}");
      assertThat(line.has("arguments")).as("%s", line).isFalse();
    });
    assertThat(lines).filteredOn(l -> "access".equals(l.path("type").asText())).isNotEmpty();
    assertThat(lines).extracting(l -> l.path("message").asText())
        .anySatisfy(m -> assertThat(m).startsWith("generated a token into ").endsWith("turbocache/token"))
        .anySatisfy(m -> assertThat(m).startsWith("listening on 127.0.0.1:"));
    assertThat(server.stdout()).contains("TURBO_TOKEN=" + server.token())
        .containsOnlyOnce(server.token());
    assertThat(server.stderr()).doesNotContain(server.token());
  }

  /**
   * A client that asks for HTTP/2 on a plain connection (an {@code Upgrade: h2c} request, as the
   * JDK client and {@code curl --http2} send) is answered over HTTP/2, and then served on it.
   */
  @Test
  void aClientAskingForHttp2GetsItByUpgrade() throws Exception {
    try (HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build()) {
      for (int i = 0; i < 2; i++) {
        HttpResponse<String> status = h2.send(server.request("/v8/artifacts/status?slug=" + server.team())
            .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(status.version()).as("request %d", i).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(status.body()).isEqualTo("{\"status\":\"enabled\"}");
      }
    }
  }

  private static HttpRequest.Builder preflight(ServerJarProcess s, String path, String method) {
    return s.request(path)
        .header("Origin", "http://localhost:3000")
        .header("Access-Control-Request-Method", method)
        .header("Access-Control-Request-Headers", "Authorization, Content-Type, User-Agent")
        .method("OPTIONS", BodyPublishers.noBody());
  }

  private static HttpRequest.Builder json(HttpRequest.Builder request, String body) {
    return request.header("Content-Type", "application/json").POST(BodyPublishers.ofString(body));
  }
}
