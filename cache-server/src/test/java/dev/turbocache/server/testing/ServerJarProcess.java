package dev.turbocache.server.testing;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turbocache.server.http.Json;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged server jar as users run it: {@code java -jar turbocache-server.jar [args]} in its
 * own process, with a scratch HOME and XDG data directory (so the user's real
 * {@code ~/.local/share/turbocache} is never touched), port 0 through {@code TURBOCACHE_SERVER_PORT}
 * and nothing else from the test's environment. It is ready once the startup line is printed and
 * {@code /healthz/ready} answers 200; {@link #close()} stops the whole process tree.
 */
public final class ServerJarProcess implements AutoCloseable {
  /** System property with the path of the shaded jar (the build sets it for the *IT suites). */
  public static final String JAR_PROPERTY = "turbocache.server.jar";

  private static final Duration STARTUP = Duration.ofMinutes(2);
  private static final Pattern READY_LINE = Pattern.compile(
      "(?m)^\\s*export TURBO_API=(\\S+) TURBO_TOKEN=(\\S+) TURBO_TEAM=(\\S+)\\s*$");
  /** How the "listening on" log line names a bound {@code server.managementPort}. */
  private static final Pattern MANAGEMENT_PORT = Pattern.compile("on management port (\\d+)");

  private final Process process;
  private final Path dir;
  private final Path stdout;
  private final Path stderr;
  private final String baseUrl;
  private final String token;
  private final String team;
  private final HttpClient http = TestHttp.newClient();

  private ServerJarProcess(Process process, Path dir, Path stdout, Path stderr, Matcher ready) {
    this.process = process;
    this.dir = dir;
    this.stdout = stdout;
    this.stderr = stderr;
    this.baseUrl = ready.group(1);
    this.token = ready.group(2);
    this.team = ready.group(3);
  }

  /** The jar under test: {@value #JAR_PROPERTY}, else {@code target/turbocache-server.jar}. */
  public static Path jar() {
    String configured = System.getProperty(JAR_PROPERTY);
    Path jar = configured != null && !configured.isBlank()
        ? Path.of(configured)
        : Path.of(System.getProperty("basedir", "."), "target", "turbocache-server.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("no server jar at " + jar.toAbsolutePath()
          + ": run ./mvnw package first (or pass -D" + JAR_PROPERTY + "=/path/to/turbocache-server.jar)");
    }
    return jar.toAbsolutePath();
  }

  /** The java executable of this test JVM, so the jar runs on the JDK the build uses. */
  public static String javaCommand() {
    return ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /**
   * The environment a child gets: PATH, a scratch HOME and XDG data directory under {@code dir},
   * then {@code extra}. Nothing else leaks in from the developer's or CI's environment.
   */
  public static Map<String, String> isolatedEnvironment(Path dir, Map<String, String> extra) {
    Map<String, String> env = new HashMap<>();
    String path = System.getenv("PATH");
    if (path != null) {
      env.put("PATH", path);
    }
    env.put("HOME", dir.resolve("home").toString());
    env.put("XDG_DATA_HOME", dataHome(dir).toString());
    env.putAll(extra);
    return env;
  }

  /** The XDG data home of a server started in {@code dir}: its data lives in {@code turbocache/} there. */
  public static Path dataHome(Path dir) {
    return dir.resolve("home").resolve(".local").resolve("share");
  }

  /** Zero-config: no arguments, no settings but the port. */
  public static ServerJarProcess start(Path dir) {
    return start(dir, Map.of());
  }

  /**
   * @param settings extra environment ({@code TURBOCACHE_*} overrides)
   * @param args command line after {@code -jar <jar>}
   */
  public static ServerJarProcess start(Path dir, Map<String, String> settings, String... args) {
    Path jar = jar();
    try {
      Files.createDirectories(dir.resolve("home"));
      Path out = dir.resolve("server-stdout.log");
      Path err = dir.resolve("server-stderr.log");
      List<String> command = new ArrayList<>(List.of(javaCommand(), "-jar", jar.toString()));
      command.addAll(List.of(args));
      ProcessBuilder pb = new ProcessBuilder(command)
          .directory(dir.toFile())
          .redirectOutput(out.toFile())
          .redirectError(err.toFile());
      pb.environment().clear();
      Map<String, String> env = new HashMap<>(Map.of("TURBOCACHE_SERVER_PORT", "0"));
      env.putAll(settings);
      pb.environment().putAll(isolatedEnvironment(dir, env));
      Process process = pb.start();
      try {
        process.getOutputStream().close();
        return awaitReady(process, dir, out, err);
      } catch (RuntimeException | Error e) {
        stop(process);
        throw e;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("starting " + jar, e);
    }
  }

  private static ServerJarProcess awaitReady(Process process, Path dir, Path out, Path err) {
    Matcher[] ready = new Matcher[1];
    await("the startup line of " + out).atMost(STARTUP).pollInterval(Duration.ofMillis(100))
        .until(() -> {
          if (!process.isAlive()) {
            throw new IllegalStateException("the server exited with " + process.exitValue()
                + " before it was ready\n--- stdout ---\n" + read(out) + "\n--- stderr ---\n" + read(err));
          }
          Matcher m = READY_LINE.matcher(read(out));
          if (m.find()) {
            ready[0] = m;
            return true;
          }
          return false;
        });
    ServerJarProcess server = new ServerJarProcess(process, dir, out, err, ready[0]);
    try {
      await("/healthz/ready of " + server.baseUrl).atMost(STARTUP).pollInterval(Duration.ofMillis(100))
          .ignoreExceptions()
          // Refused connections are expected while it starts: no server output for each of them.
          .until(() -> TestHttp.send(server.http, server.request("/healthz/ready").GET().build())
              .statusCode() == 200);
      return server;
    } catch (RuntimeException | Error e) {
      server.http.close();
      throw e;
    }
  }

  /** TURBO_API from the startup line. */
  public String baseUrl() {
    return baseUrl;
  }

  /** TURBO_TOKEN from the startup line (the generated token when started without a tokens file). */
  public String token() {
    return token;
  }

  /** TURBO_TEAM from the startup line. */
  public String team() {
    return team;
  }

  /** The server's process id. */
  public long pid() {
    return process.pid();
  }

  /** The directory the server runs in. */
  public Path dir() {
    return dir;
  }

  /** Everything the server printed on standard output so far. */
  public String stdout() {
    return read(stdout);
  }

  /** Everything the server printed on standard error so far. */
  public String stderr() {
    return read(stderr);
  }

  /** The JSON lines of standard output (log lines and access lines; the startup line is text). */
  public List<JsonNode> jsonLogLines() {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : stdout().lines().toList()) {
      if (line.startsWith("{")) {
        try {
          lines.add(Json.MAPPER.readTree(line));
        } catch (IOException e) {
          throw new AssertionError("a log line that is not JSON: " + line, e);
        }
      }
    }
    return lines;
  }

  /** A request to this server with the startup line's token. */
  public HttpRequest.Builder request(String pathAndQuery) {
    return HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery))
        .timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + token);
  }

  /**
   * A request without a token to the bound {@code server.managementPort}, as the "listening on"
   * log line names it.
   */
  public HttpRequest.Builder managementRequest(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort() + path))
        .timeout(Duration.ofSeconds(60));
  }

  /** The clients' port, from the URL the server printed. */
  public int port() {
    return URI.create(baseUrl).getPort();
  }

  /** The bound {@code server.managementPort}, as the "listening on" log line names it. */
  public int managementPort() {
    Matcher m = MANAGEMENT_PORT.matcher(stdout());
    if (!m.find()) {
      throw new AssertionError("no management port in the log of the " + this);
    }
    return Integer.parseInt(m.group(1));
  }

  /**
   * Sends the request and reads the whole answer. A request that gets none (the connection closed
   * or reset first) fails with the server's output, which says what the server made of it.
   */
  public HttpResponse<byte[]> send(HttpRequest.Builder request) {
    HttpRequest built = request.build();
    try {
      return TestHttp.send(http, built);
    } catch (UncheckedIOException e) {
      // The JDK client's message says how far it got; its cause, whether the connection was
      // closed or reset, or the client itself gave up on it.
      throw new UncheckedIOException(built.method() + " " + built.uri() + " got no answer ("
          + e.getCause() + ", caused by " + e.getCause().getCause() + "); " + this, e.getCause());
    }
  }

  /** The value of an unlabelled sample of {@code /metrics} ("1.0"), or "absent". */
  public String metric(String name) {
    String metrics = new String(send(request("/metrics").GET()).body(), StandardCharsets.UTF_8);
    return metrics.lines().filter(l -> l.startsWith(name + " ")).map(l -> l.substring(name.length() + 1))
        .findFirst().orElse("absent");
  }

  /** Sends the request without waiting for its answer. */
  public CompletableFuture<HttpResponse<byte[]>> sendAsync(HttpRequest.Builder request) {
    return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** The server's output, for assertion messages. */
  @Override
  public String toString() {
    return "server jar at " + baseUrl + "\n--- stdout ---\n" + stdout() + "\n--- stderr ---\n" + stderr();
  }

  /** SIGTERM (graceful shutdown), then a kill of whatever is left of the process tree. */
  @Override
  public void close() {
    try {
      stop(process);
    } finally {
      http.close();
    }
  }

  private static void stop(Process process) {
    List<ProcessHandle> children = process.descendants().toList();
    process.destroy();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    children.forEach(ProcessHandle::destroyForcibly);
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
