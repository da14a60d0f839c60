package dev.turbocache.operator.monitoring;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus server (the Debian package's {@code prometheus}) on a loopback port, with the
 * given scrape configurations and rule files, its data in a temporary directory. Evaluates rules
 * and scrapes every second unless a scrape config says otherwise. {@link #close()} stops the
 * process (and kills it if it does not stop).
 */
public final class PrometheusProcess implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Process process;
  private final Path log;
  private final String url;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private PrometheusProcess(Process process, Path log, String url) {
    this.process = process;
    this.log = log;
    this.url = url;
  }

  /** @param ruleFiles file name to content, written beside the configuration */
  public static PrometheusProcess start(Path dir, List<Map<String, Object>> scrapeConfigs, Map<String, String> ruleFiles) {
    try {
      Files.createDirectories(dir);
      ruleFiles.forEach((name, text) -> RuleFiles.write(dir.resolve(name), text));
      Map<String, Object> global = new LinkedHashMap<>();
      global.put("scrape_interval", "1s");
      global.put("scrape_timeout", "1s");
      global.put("evaluation_interval", "1s");
      Map<String, Object> config = new LinkedHashMap<>();
      config.put("global", global);
      config.put("rule_files", new ArrayList<>(ruleFiles.keySet()));
      config.put("scrape_configs", scrapeConfigs);
      Path file = RuleFiles.write(dir.resolve("prometheus.yml"), RuleFiles.YAML.writeValueAsString(config));
      int port = freeLoopbackPort();
      Path log = dir.resolve("prometheus.log");
      Process p = new ProcessBuilder(PrometheusBinaries.find("prometheus").toString(),
          "--config.file=" + file,
          "--storage.tsdb.path=" + dir.resolve("data"),
          "--web.listen-address=127.0.0.1:" + port,
          "--log.level=warn")
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      PrometheusProcess prometheus = new PrometheusProcess(p, log, "http://127.0.0.1:" + port);
      try {
        await("Prometheus ready on port " + port).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
            .until(() -> {
              if (!p.isAlive()) {
                throw new AssertionError("prometheus exited with " + p.exitValue() + ": " + prometheus.log());
              }
              return prometheus.ready();
            });
      } catch (RuntimeException | AssertionError e) {
        prometheus.close();
        throw e;
      }
      return prometheus;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A port nothing listens on right now (a tiny race with other processes is acceptable in tests). */
  public static int freeLoopbackPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private boolean ready() {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(url + "/-/ready")).timeout(Duration.ofSeconds(2)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The {@code data.result} of an instant query (a vector: one element per series). */
  public JsonNode query(String promql) {
    JsonNode answer = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    if (!"success".equals(answer.path("status").asText())) {
      throw new AssertionError("query " + promql + " failed: " + answer);
    }
    return answer.path("data").path("result");
  }

  /** Alerts now pending or firing: {@code data.alerts} of the alerts API. */
  public JsonNode alerts() {
    return get("/api/v1/alerts").path("data").path("alerts");
  }

  /** Rules whose last evaluation failed, as {@code name: error}. */
  public List<String> failingRules() {
    List<String> out = new ArrayList<>();
    for (JsonNode group : get("/api/v1/rules").path("data").path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        if (!"ok".equals(rule.path("health").asText()) && !"unknown".equals(rule.path("health").asText())) {
          out.add(rule.path("name").asText() + ": " + rule.path("lastError").asText());
        }
      }
    }
    return out;
  }

  /** The names of every series Prometheus holds. */
  public List<String> metricNames() {
    List<String> names = new ArrayList<>();
    get("/api/v1/label/__name__/values").path("data").forEach(n -> names.add(n.asText()));
    return names;
  }

  /** Scrape targets and their health. */
  public JsonNode targets() {
    return get("/api/v1/targets").path("data").path("activeTargets");
  }

  private JsonNode get(String path) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** What Prometheus logged (warnings and errors), for failure messages. */
  public String log() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return e.toString();
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
