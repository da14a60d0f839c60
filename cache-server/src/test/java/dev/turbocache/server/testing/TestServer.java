package dev.turbocache.server.testing;

import dev.turbocache.server.app.CacheServer;
import dev.turbocache.server.config.ConfigLoader;
import dev.turbocache.server.config.TurboCacheConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real cache server on a free loopback port with a tokens file holding one token per access
 * level, plus an HTTP client to talk to it. Either started at once ({@link #start}, closed by the
 * test) or registered as an extension that runs one per test ({@link #eachTest}).
 */
public final class TestServer implements AutoCloseable, BeforeEachCallback, AfterEachCallback {
  public static final String ADMIN = "admin-token-aaaaaaaaaaaaaaaaaaaa";
  public static final String WRITER = "writer-token-bbbbbbbbbbbbbbbbbbbb";
  public static final String READER = "reader-token-cccccccccccccccccccc";
  public static final String OTHER_TEAM = "other-token-dddddddddddddddddddd";
  public static final String TEAM = "acme";

  public static final String TOKENS_YAML = """
      tokens:
        - name: admin
          token: "%s"
          teams: ["*"]
          access: admin
        - name: ci
          token: "%s"
          teams: ["acme"]
          access: readwrite
        - name: pr-builds
          token: "%s"
          teams: ["acme"]
          access: read
        - name: web-ci
          token: "%s"
          teams: ["web"]
          access: readwrite
      """.formatted(ADMIN, WRITER, READER, OTHER_TEAM);

  private final Supplier<Path> dirSource;
  private final Map<String, String> settings;
  private final HttpClient http;
  private Path dir;
  private CacheServer server;

  private TestServer(Supplier<Path> dirSource, Map<String, String> settings) {
    this.dirSource = dirSource;
    this.settings = settings;
    this.http = TestHttp.newClient();
  }

  public static TestServer start(Path dir) {
    return start(dir, Map.of());
  }

  /**
   * @param settings extra settings as {@code TURBOCACHE_*} environment variables (which also
   *     exercises the override mechanism)
   */
  public static TestServer start(Path dir, Map<String, String> settings) {
    TestServer started = new TestServer(() -> dir, settings);
    started.startServer();
    return started;
  }

  /** A server for each test of a class, in a {@code @RegisterExtension} field. */
  public static TestServer eachTest(Supplier<Path> dir) {
    return eachTest(dir, Map.of());
  }

  /**
   * A server for each test of a class, in a {@code @RegisterExtension} field: started before the
   * test, closed after it.
   *
   * @param dir asked only when the test starts, so that it may read the class's {@code @TempDir}
   *     field, which is still empty while the extension field is initialized
   */
  public static TestServer eachTest(Supplier<Path> dir, Map<String, String> settings) {
    return new TestServer(dir, settings);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    startServer();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    close();
  }

  private void startServer() {
    try {
      dir = dirSource.get();
      Path tokens = dir.resolve("tokens.yaml");
      if (!Files.exists(tokens)) {
        Files.writeString(tokens, TOKENS_YAML);
      }
      Map<String, String> env = new HashMap<>();
      env.put("TURBOCACHE_SERVER_PORT", "0");
      env.put("TURBOCACHE_SERVER_DATA_DIR", dir.resolve("data").toString());
      env.put("TURBOCACHE_AUTH_TOKENS_FILE", tokens.toString());
      env.put("TURBOCACHE_AUTH_RELOAD_INTERVAL", "50ms");
      env.put("TURBOCACHE_SERVER_SHUTDOWN_GRACE", "5s");
      env.putAll(settings);
      TurboCacheConfig config = new ConfigLoader().load(null, env);
      server = CacheServer.start(config);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public CacheServer server() {
    return server;
  }

  public Path dir() {
    return dir;
  }

  public String baseUrl() {
    return server.baseUrl();
  }

  public int port() {
    return server.port();
  }

  public HttpClient http() {
    return http;
  }

  public HttpRequest.Builder request(String pathAndQuery, String token) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl() + pathAndQuery))
        .timeout(Duration.ofSeconds(60));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return b;
  }

  public HttpResponse<byte[]> send(HttpRequest request) {
    return TestHttp.send(http, request);
  }

  public HttpResponse<byte[]> get(String pathAndQuery, String token) {
    return send(request(pathAndQuery, token).GET().build());
  }

  /**
   * A request to the port of {@code /metrics} and the probes: {@code server.managementPort}, or
   * the clients' port without one.
   */
  public HttpRequest.Builder managementRequest(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.managementPort() + path))
        .timeout(Duration.ofSeconds(60));
  }

  public HttpResponse<byte[]> head(String pathAndQuery, String token) {
    return send(request(pathAndQuery, token).method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
  }

  public HttpResponse<byte[]> put(String pathAndQuery, String token, byte[] body, String... headers) {
    HttpRequest.Builder b = request(pathAndQuery, token)
        .header("Content-Type", "application/octet-stream")
        .PUT(HttpRequest.BodyPublishers.ofByteArray(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return send(b.build());
  }

  public HttpResponse<byte[]> postJson(String pathAndQuery, String token, String json) {
    return send(request(pathAndQuery, token)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json))
        .build());
  }

  /** The artifact URL for {@code hash} in the default test team. */
  public static String artifact(String hash) {
    return "/v8/artifacts/" + hash + "?slug=" + TEAM;
  }

  /** Also after a test whose server failed to start, which has nothing to close. */
  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
  }
}
