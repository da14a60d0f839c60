package dev.turbocache.server.e2e;

import dev.turbocache.server.app.CacheServer;
import dev.turbocache.server.config.ConfigLoader;
import dev.turbocache.server.config.TurboCacheConfig;
import dev.turbocache.server.testing.TestHttp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A real {@link CacheServer} on an ephemeral port with its own data directory and a tokens file
 * holding one token per access level for team {@value #TEAM}, plus a plain HTTP client for checks
 * that must not go through turbo ("does the server hold this hash?").
 */
public final class E2ECacheServer implements AutoCloseable {

  public static final String TEAM = "acme";
  public static final String TEAM_ID = "team_acme";
  public static final String READWRITE_TOKEN = "e2e-readwrite-token-7f3a9c";
  public static final String READ_TOKEN = "e2e-read-token-51be02";
  public static final String ADMIN_TOKEN = "e2e-admin-token-c0d4e8";

  private final CacheServer server;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private E2ECacheServer(CacheServer server) {
    this.server = server;
  }

  public static E2ECacheServer start(Path dir) {
    return start(dir, Map.of());
  }

  /** @param settings extra settings as {@code TURBOCACHE_*} environment overrides (tiers...) */
  public static E2ECacheServer start(Path dir, Map<String, String> settings) {
    try {
      Path dataDir = Files.createDirectories(dir.resolve("data"));
      Path tokens = dir.resolve("tokens.yaml");
      Files.writeString(
          tokens,
          """
          tokens:
            - name: ci
              token: "%s"
              teams: ["%s"]
              access: readwrite
            - name: pr-builds
              token: "%s"
              teams: ["%s"]
              access: read
            - name: ops
              token: "%s"
              teams: ["%s"]
              access: admin
          """
              .formatted(READWRITE_TOKEN, TEAM, READ_TOKEN, TEAM, ADMIN_TOKEN, TEAM),
          StandardCharsets.UTF_8);
      Path config = dir.resolve("turbocache.yaml");
      Files.writeString(
          config,
          """
          server:
            host: 127.0.0.1
            port: 0
            dataDir: "%s"
          auth:
            tokensFile: "%s"
          """
              .formatted(yamlPath(dataDir), yamlPath(tokens)),
          StandardCharsets.UTF_8);
      TurboCacheConfig cfg = new ConfigLoader().load(config, settings);
      return new E2ECacheServer(CacheServer.start(cfg));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String yamlPath(Path p) {
    return p.toAbsolutePath().toString().replace("\\", "\\\\").replace("\"", "\\\"");
  }

  /** The running server, for looking at its tiers. */
  public CacheServer server() {
    return server;
  }

  /** The value for TURBO_API. */
  public String baseUrl() {
    return server.baseUrl();
  }

  /** HTTP status of {@code HEAD /v8/artifacts/<hash>?<teamQuery>} with the admin token. */
  public int headArtifact(String hash, String teamQuery) {
    return send(request(hash, teamQuery).method("HEAD", HttpRequest.BodyPublishers.noBody()))
        .statusCode();
  }

  /** HEAD with {@code ?slug=acme}. */
  public int headArtifact(String hash) {
    return headArtifact(hash, "slug=" + TEAM);
  }

  /** {@code GET /v8/artifacts/<hash>?slug=acme} with the admin token. */
  public HttpResponse<byte[]> getArtifact(String hash) {
    return send(request(hash, "slug=" + TEAM).GET());
  }

  /** The server's Prometheus metrics text. */
  public String metrics() {
    return new String(send(HttpRequest.newBuilder(URI.create(baseUrl() + "/metrics"))
        .timeout(Duration.ofSeconds(30)).GET()).body(), java.nio.charset.StandardCharsets.UTF_8);
  }

  private HttpRequest.Builder request(String hash, String teamQuery) {
    return HttpRequest.newBuilder(URI.create(baseUrl() + "/v8/artifacts/" + hash + "?" + teamQuery))
        .timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + ADMIN_TOKEN);
  }

  private HttpResponse<byte[]> send(HttpRequest.Builder builder) {
    return TestHttp.send(http, builder.build());
  }

  @Override
  public void close() {
    server.close();
  }
}
