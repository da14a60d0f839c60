package dev.turbocache.operator.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.turbocache.operator.TestResources;
import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.api.v1alpha1.spec.RedisTierSpec;
import dev.turbocache.operator.api.v1alpha1.spec.ServerSpec;
import dev.turbocache.operator.helm.TurboCacheChart;
import dev.turbocache.operator.monitoring.AlertRules;
import dev.turbocache.operator.monitoring.DashboardConfigMap;
import dev.turbocache.operator.monitoring.MonitoredCaches;
import dev.turbocache.operator.monitoring.PrometheusProcess;
import dev.turbocache.operator.monitoring.RuleFiles;
import dev.turbocache.operator.monitoring.ScrapeConfig;
import dev.turbocache.operator.monitoring.ServerPrometheusRule;
import dev.turbocache.operator.monitoring.ServerServiceMonitor;
import dev.turbocache.operator.redis.RedisMetrics;
import dev.turbocache.operator.redis.TopologyVerdict;
import dev.turbocache.operator.server.ServerConfigMap;
import dev.turbocache.operator.server.ServerDeployment;
import dev.turbocache.operator.server.ServerMetricsService;
import dev.turbocache.operator.server.ServerSecrets;
import dev.turbocache.server.app.CacheServer;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monitoring the operator renders, against a real Prometheus (the Debian package, on loopback)
 * scraping real cache servers started from the rendered Deployment and ConfigMap ({@link
 * RenderedPod}), with the rendered ServiceMonitors translated into scrape configurations ({@link
 * ScrapeConfig}) and the rendered PrometheusRules as its rule files:
 *
 * <ul>
 *   <li>{@code healthy} (memory and disk) gets uploads and hits, and never has an alert, not even pending;
 *   <li>{@code broken} (write-through to an S3 endpoint where nothing listens, and an edit of its
 *       tokens Secret it refuses) gets misses and failing uploads: hit ratio, 5xx ratio, S3 and
 *       stale auth file alerts fire; once it is stopped, "no server up" fires;
 *   <li>{@code lagging} (write-back to that S3) acknowledges uploads that never reach S3: the write-back
 *       lag and S3 alerts fire;
 *   <li>{@code redis} (a Sentinel set run by the operator, no server: nothing to scrape) has the
 *       operator's Redis gauges, served like the operator does and scraped through the chart's own
 *       ServiceMonitor: masters and quorum alerts fire, and "no server up" fires on series that were
 *       never there.
 * </ul>
 *
 * <p>Scrapes run every two seconds (the ServiceMonitors say so through the spec) and the rules use a
 * 20-second window with every {@code for} divided by 30 ({@link AlertRules.Timing}): the same
 * expressions as in production, where {@link dev.turbocache.operator.monitoring.AlertRulesPromtoolIT}
 * checks the production windows and durations. Every dashboard panel's queries must return data
 * here, and every metric a panel or rule names must be one Prometheus has scraped.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MonitoringPrometheusIT {
  /**
   * {@code for} a thirtieth of production's: "no server up" then waits five scrapes of two seconds
   * (production: five minutes, ten scrapes), so a Prometheus that has not scraped yet, or one slow
   * scrape on a busy machine, does not call a server gone.
   */
  static final AlertRules.Timing FAST = new AlertRules.Timing("20s", 30);
  static final String SCRAPE_INTERVAL = "2s";
  static final String NS = TestResources.NAMESPACE;
  static final Duration ALERTING = Duration.ofMinutes(3);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern METRIC = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\{");

  static final Map<String, TurboCache> caches = new LinkedHashMap<>();
  static final Map<String, CacheServer> servers = new LinkedHashMap<>();
  static HttpServer operatorMetrics;
  /** Held for the whole test: Micrometer's gauges only keep weak references to what they read. */
  static RedisMetrics redisMetrics;
  static PrometheusProcess prometheus;
  static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  static final String HIT = "aa01";

  static TurboCache cache(String name, Consumer<TurboCache> edit) {
    TurboCache cr = MonitoredCaches.monitored();
    cr.getMetadata().setName(name);
    cr.getSpec().monitoring.serviceMonitor.interval = SCRAPE_INTERVAL;
    cr.getSpec().monitoring.serviceMonitor.scrapeTimeout = SCRAPE_INTERVAL;
    edit.accept(cr);
    caches.put(name, cr);
    return cr;
  }

  static void deadS3(TurboCache cr, int port) {
    TestResources.withS3(cr, TestResources.S3Auth.SECRET);
    cr.getSpec().tiers.s3.endpoint = "http://127.0.0.1:" + port;
  }

  @BeforeAll
  static void start(@TempDir Path tmp) throws Exception {
    int deadPort = PrometheusProcess.freeLoopbackPort();
    cache("healthy", cr -> {});
    cache("broken", cr -> deadS3(cr, deadPort));
    cache("lagging", cr -> {
      deadS3(cr, deadPort);
      cr.getSpec().server = new ServerSpec();
      cr.getSpec().server.writePolicy = ServerSpec.WritePolicy.WriteBack;
      cr.getSpec().monitoring.prometheusRule.writeBackOldestAboveSeconds = 2.0;
    });
    TurboCache redis = cache("redis", cr -> TestResources.withRedisMode(cr, RedisTierSpec.Mode.Sentinel));

    List<Map<String, Object>> scrapes = new ArrayList<>();
    Map<String, String> ruleFiles = new LinkedHashMap<>();
    for (TurboCache cr : caches.values()) {
      String name = cr.getMetadata().getName();
      ruleFiles.put(name + ".rules.yaml", RuleFiles.ruleFile(ServerPrometheusRule.desired(cr, FAST)));
      if (cr == redis) {
        continue; // nothing runs its pods: no endpoints, no targets
      }
      List<Secret> secrets = UserSecrets.of(cr);
      Deployment deployment = ServerDeployment.desired(cr, ServerSecrets.observe(cr, secrets));
      RenderedPod pod = RenderedPod.materialize(deployment, ServerConfigMap.desired(cr), secrets, tmp.resolve(name));
      CacheServer server = CacheServer.start(pod.load());
      servers.put(name, server);
      if (name.equals("broken")) {
        // an edit of the tokens Secret the server refuses: it keeps the tokens it has
        pod.sync(ServerConfigMap.desired(cr), UserSecrets.withTokensFile(cr, "tokens: [unclosed"));
      }
      List<Map<String, Object>> scrape = ScrapeConfig.of(ServerServiceMonitor.desired(cr), ServerMetricsService.desired(cr),
          pod.container.getPorts(), containerPort -> pod.localPort(server, containerPort));
      List<Object> targets = scrape.stream().flatMap(c -> ((List<?>) c.get("static_configs")).stream())
          .flatMap(g -> ((List<?>) ((Map<?, ?>) g).get("targets")).stream()).map(Object.class::cast).toList();
      assertThat(targets).as("the ServiceMonitor of %s leads to the server's management port", name)
          .containsExactly("127.0.0.1:" + server.managementPort())
          .doesNotContain("127.0.0.1:" + server.port());
      scrapes.addAll(scrape);
    }
    scrapes.addAll(operatorScrape(redis));
    prometheus = PrometheusProcess.start(tmp.resolve("prometheus"), scrapes, ruleFiles);
    upload(servers.get("healthy"), HIT, 202);
  }

  /**
   * The operator's Redis gauges for {@code redis} as its topology check would record two masters
   * and one ready sentinel, on /metrics as the operator serves them, scraped through the Helm
   * chart's ServiceMonitor (its honorLabels keeps the TurboCache's namespace label).
   */
  static List<Map<String, Object>> operatorScrape(TurboCache redis) throws IOException {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    redisMetrics = new RedisMetrics(registry);
    redisMetrics.record(redis,
        new TopologyVerdict(false, "TwoMasters", "two masters", null, 2, 0, 2, 1, 3, true, List.of()));
    operatorMetrics = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    operatorMetrics.createContext("/metrics", ex -> {
      byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      ex.sendResponseHeaders(200, body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    });
    operatorMetrics.start();
    TurboCacheChart.Rendered chart = TurboCacheChart.render(TurboCacheChart.set(
        TurboCacheChart.readValues(TurboCacheChart.variant("monitoring")), "metrics.serviceMonitor.interval", SCRAPE_INTERVAL));
    Deployment operator = chart.one(Deployment.class);
    List<ContainerPort> ports = operator.getSpec().getTemplate().getSpec().getContainers().get(0).getPorts();
    return ScrapeConfig.of(chart.one(ServiceMonitor.class), chart.one(Service.class), ports,
        containerPort -> operatorMetrics.getAddress().getPort());
  }

  @AfterAll
  static void stop() {
    if (prometheus != null) {
      prometheus.close();
    }
    servers.values().forEach(CacheServer::close);
    if (operatorMetrics != null) {
      operatorMetrics.stop(0);
    }
  }

  /** One round of traffic: hits on healthy, misses and failing uploads on broken, uploads on lagging. */
  static void traffic() {
    CacheServer healthy = servers.get("healthy");
    CacheServer broken = servers.get("broken");
    CacheServer lagging = servers.get("lagging");
    for (int i = 0; i < 5; i++) {
      assertThat(download(healthy, HIT)).isEqualTo(200);
      if (broken != null) {
        assertThat(download(broken, randomHash())).isEqualTo(404);
      }
    }
    if (broken != null) {
      assertThat(upload(broken, randomHash(), -1)).as("the durable tier fails uploads").isEqualTo(503);
    }
    // reads of artifacts it does not have reach S3 too, so its error ratio does not depend on write-back's retry backoff
    assertThat(download(lagging, randomHash())).isEqualTo(404);
    upload(lagging, randomHash(), 202);
    upload(healthy, randomHash(), 202);
  }

  @Test
  @Order(1)
  void aBrokenDurableTierMissesAndARunawayRedisFireTheirAlertsWhileTheHealthyCacheStaysQuiet() {
    Set<String> expected = Set.of(
        "broken/TurboCacheHitRatioLow", "broken/TurboCacheErrorRatioHigh", "broken/TurboCacheS3Errors",
        "broken/TurboCacheAuthFileStale",
        "lagging/TurboCacheWriteBackLagging", "lagging/TurboCacheS3Errors",
        "redis/TurboCacheNoServerUp", "redis/TurboCacheRedisMasters", "redis/TurboCacheRedisSentinelsBelowQuorum");
    await("alerts firing").atMost(ALERTING).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
      traffic();
      assertThat(prometheus.failingRules()).as("every rendered rule evaluates").isEmpty();
      assertThat(firing()).as("firing alerts; s3 errors %s, operations %s; Prometheus log: %s",
          prometheus.query("sum by (job, op) (rate(turbocache_tier_errors_total{tier=\"s3\"}[20s]))"),
          prometheus.query("sum by (job, op) (rate(turbocache_tier_latency_seconds_count{tier=\"s3\"}[20s]))"),
          prometheus.log()).containsAll(expected);
    });
    assertThat(firing()).as("nothing fires for the healthy cache").noneMatch(a -> a.startsWith("healthy/"));
    // the healthy cache was really judged: scraped, up, and with enough downloads for the hit ratio
    assertThat(prometheus.query("up{job=\"healthy\"} == 1")).hasSize(1);
    assertThat(prometheus.query("sum(increase(turbocache_team_lookups_total{job=\"healthy\",result=\"hit\"}[20s])) >= "
        + AlertRules.MIN_REQUESTS)).hasSize(1);
    assertThat(prometheus.query("count_over_time(ALERTS{turbocache=\"healthy\",alertstate=\"firing\"}[10m])"))
        .as("no alert of the healthy cache ever fired").isEmpty();
    // before Prometheus' first scrape "no server up" is rightly pending (its for covers that); nothing else ever was
    assertThat(prometheus.query("count_over_time(ALERTS{turbocache=\"healthy\",alertname!=\"TurboCacheNoServerUp\"}[10m])"))
        .as("no other alert of the healthy cache was ever pending").isEmpty();
  }

  @Test
  @Order(2)
  void everyDashboardPanelHasDataAndNamesOnlyMetricsThatExist() throws IOException {
    Set<String> exported = new TreeSet<>(prometheus.metricNames());
    assertThat(exported).contains("turbocache_http_requests_seconds_count", "turbocache_operator_redis_masters");
    Set<String> named = new LinkedHashSet<>();
    for (TurboCache cr : caches.values()) {
      String name = cr.getMetadata().getName();
      JsonNode dashboard = JSON.readTree(DashboardConfigMap.desired(cr).getData().get(DashboardConfigMap.KEY));
      for (JsonNode panel : dashboard.path("panels")) {
        for (JsonNode target : panel.path("targets")) {
          String expr = target.path("expr").asText();
          named.addAll(metrics(expr));
          if (!servers.containsKey(name) && !expr.contains("turbocache_operator_")) {
            continue; // nothing serves the redis cache's own series here
          }
          String query = expr.replace("$namespace", NS).replace("$job", name).replace("$__rate_interval", FAST.window());
          assertThat(prometheus.query(query)).as("%s: panel '%s': %s", name, panel.path("title").asText(), query).isNotEmpty();
        }
      }
      ServerPrometheusRule.desired(cr).getSpec().getGroups().get(0).getRules()
          .forEach(r -> named.addAll(metrics(r.getExpr().getStrVal())));
    }
    assertThat(exported).as("metrics the dashboards and rules name").containsAll(named);
    assertThat(prometheus.query("turbocache_no_such_metric{job=\"healthy\"}")).as("a query of a missing metric has no data").isEmpty();
  }

  @Test
  @Order(3)
  void aStoppedServerIsNoServerUp() {
    assertThat(firing()).doesNotContain("broken/TurboCacheNoServerUp");
    servers.remove("broken").close();
    await("no server up").atMost(ALERTING).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
      traffic();
      assertThat(firing()).contains("broken/TurboCacheNoServerUp");
    });
    assertThat(firing()).noneMatch(a -> a.startsWith("healthy/"));
  }

  static Set<String> metrics(String expr) {
    Set<String> out = new LinkedHashSet<>();
    Matcher m = METRIC.matcher(expr);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  /** Firing alerts as {@code turbocache/alertname}. */
  static Set<String> firing() {
    Set<String> out = new TreeSet<>();
    for (JsonNode a : prometheus.alerts()) {
      if ("firing".equals(a.path("state").asText())) {
        out.add(a.path("labels").path("turbocache").asText() + "/" + a.path("labels").path("alertname").asText());
      }
    }
    return out;
  }

  static String randomHash() {
    byte[] b = new byte[16];
    ThreadLocalRandom.current().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  static HttpRequest.Builder request(CacheServer server, String hash) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v8/artifacts/" + hash + "?slug=" + UserSecrets.TEAM))
        .header("Authorization", "Bearer " + UserSecrets.TOKEN)
        .timeout(Duration.ofSeconds(30));
  }

  static int download(CacheServer server, String hash) {
    return send(request(server, hash).GET().build());
  }

  /** @param expected the status it must answer, or -1 for any */
  static int upload(CacheServer server, String hash, int expected) {
    int status = send(request(server, hash).header("x-artifact-duration", "1200")
        .PUT(HttpRequest.BodyPublishers.ofString("artifact " + hash)).build());
    if (expected >= 0) {
      assertThat(status).as("PUT %s", hash).isEqualTo(expected);
    }
    return status;
  }

  static int send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      throw new AssertionError(request.uri() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
