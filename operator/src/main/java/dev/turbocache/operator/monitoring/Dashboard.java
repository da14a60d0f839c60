package dev.turbocache.operator.monitoring;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.api.v1alpha1.spec.ServerSpec;
import dev.turbocache.operator.model.Names;
import dev.turbocache.operator.model.ResolvedSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The Grafana dashboard of one TurboCache, as the JSON the Grafana sidecar imports. Its uid is
 * derived from namespace and name (stable across reconciliations, distinct per TurboCache), the data
 * source is a variable ({@code $datasource}, any Prometheus), and panels for features the cache does
 * not use (S3, write-back, an operator-run Redis) are left out, so every panel has data.
 */
public final class Dashboard {
  public static final String DATASOURCE_VARIABLE = "datasource";
  /** Where the cache's series come from: the Service's namespace and its job (the Service name). */
  public static final String NAMESPACE_VARIABLE = "namespace";
  public static final String JOB_VARIABLE = "job";
  /** The variable Grafana fills with a rate window suited to the scrape interval. */
  public static final String RATE_INTERVAL = "$__rate_interval";
  public static final int SCHEMA_VERSION = 39;
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final String SERVER = "namespace=\"$namespace\",job=\"$job\"";
  private static final String OPERATOR = "namespace=\"$namespace\",name=\"$job\"";
  private static final String W = "[" + RATE_INTERVAL + "]";

  /** One query of a panel and its legend. */
  public record Target(String expr, String legend) {}

  /** One time series panel. */
  public record Panel(String title, String unit, List<Target> targets) {}

  private Dashboard() {}

  /** The panels for {@code cr}, in order. */
  public static List<Panel> panels(TurboCache cr) {
    ResolvedSpec s = ResolvedSpec.of(cr);
    List<Panel> p = new ArrayList<>();
    p.add(new Panel("Requests by route", "reqps", List.of(new Target(
        "sum by (method, route, status) (rate(turbocache_http_requests_seconds_count{" + SERVER + "}" + W + "))",
        "{{method}} {{route}} {{status}}"))));
    p.add(new Panel("p95 latency by route", "s", List.of(new Target(
        "histogram_quantile(0.95, sum by (le, method, route) (rate(turbocache_http_requests_seconds_bucket{" + SERVER + "}" + W + ")))",
        "{{method}} {{route}}"))));
    p.add(new Panel("Hit ratio per tier", "percentunit", List.of(new Target(
        "sum by (tier) (rate(turbocache_tier_lookups_total{" + SERVER + ",result=\"hit\"}" + W + "))"
            + " / sum by (tier) (rate(turbocache_tier_lookups_total{" + SERVER + ",result=~\"hit|miss\"}" + W + "))",
        "{{tier}}"))));
    p.add(new Panel("Hit ratio per team", "percentunit", List.of(new Target(
        "sum by (team) (rate(turbocache_team_lookups_total{" + SERVER + ",result=\"hit\"}" + W + "))"
            + " / sum by (team) (rate(turbocache_team_lookups_total{" + SERVER + "}" + W + "))",
        "{{team}}"))));
    p.add(new Panel("Build time saved (seconds per second)", "none", List.of(new Target(
        "sum(rate(turbocache_time_saved_seconds_total{" + SERVER + "}" + W + "))", "saved"))));
    p.add(new Panel("Bytes served by tier", "Bps", List.of(new Target(
        "sum by (tier) (rate(turbocache_tier_bytes_read_bytes_total{" + SERVER + "}" + W + "))", "{{tier}}"))));
    p.add(new Panel("Tier errors", "ops", List.of(new Target(
        "sum by (tier, op) (rate(turbocache_tier_errors_total{" + SERVER + "}" + W + "))", "{{tier}} {{op}}"))));
    p.add(new Panel("Circuit breakers open", "none", List.of(new Target(
        "max by (tier, op) (turbocache_tier_circuit_open{" + SERVER + "})", "{{tier}} {{op}}"))));
    p.add(new Panel("JVM heap", "bytes", List.of(
        new Target("sum by (instance) (jvm_memory_used_bytes{" + SERVER + ",area=\"heap\"})", "used {{instance}}"),
        new Target("sum by (instance) (jvm_memory_max_bytes{" + SERVER + ",area=\"heap\"})", "max {{instance}}"))));
    if (s.writePolicy() == ServerSpec.WritePolicy.WriteBack) {
      p.add(new Panel("Write-back queue fill", "percentunit", List.of(
          new Target("max by (instance) (turbocache_writeback_queue_capacity_ratio{" + SERVER + "})", "{{instance}}"))));
      p.add(new Panel("Write-back oldest entry", "s", List.of(
          new Target("max by (instance) (turbocache_writeback_oldest_age_seconds{" + SERVER + "})", "{{instance}}"))));
    }
    if (s.s3() != null) {
      p.add(new Panel("S3 p95 latency", "s", List.of(new Target(
          "histogram_quantile(0.95, sum by (le, op) (rate(turbocache_tier_latency_seconds_bucket{" + SERVER + ",tier=\"s3\"}" + W + ")))",
          "{{op}}"))));
      p.add(new Panel("S3 errors", "ops", List.of(new Target(
          "sum by (op) (rate(turbocache_tier_errors_total{" + SERVER + ",tier=\"s3\"}" + W + "))", "{{op}}"))));
    }
    if (s.redis().managed() != null) {
      List<Target> redis = new ArrayList<>();
      redis.add(new Target("max(turbocache_operator_redis_masters{" + OPERATOR + "})", "masters"));
      if (s.redis().sentinel()) {
        redis.add(new Target("max(turbocache_operator_redis_sentinels_ready{" + OPERATOR + "})", "sentinels ready"));
      }
      p.add(new Panel("Redis masters and sentinels (operator)", "none", redis));
    }
    return p;
  }

  /** Stable and unique per TurboCache; Grafana allows at most 40 characters. */
  public static String uid(TurboCache cr) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest((cr.getMetadata().getNamespace() + "/" + cr.getMetadata().getName()).getBytes(StandardCharsets.UTF_8));
      return "turbocache-" + HexFormat.of().formatHex(digest, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The dashboard JSON (deterministic for equal input, so the ConfigMap only changes with the spec). */
  public static String json(TurboCache cr) {
    ObjectNode d = JSON.createObjectNode();
    d.put("uid", uid(cr));
    d.put("title", "TurboCache " + cr.getMetadata().getNamespace() + "/" + cr.getMetadata().getName());
    d.putArray("tags").add("turbocache");
    d.put("schemaVersion", SCHEMA_VERSION);
    d.put("version", 1);
    d.put("editable", true);
    d.put("refresh", "30s");
    d.put("timezone", "browser");
    d.putObject("time").put("from", "now-6h").put("to", "now");
    ArrayNode variables = d.putObject("templating").putArray("list");
    variables.addObject()
        .put("name", DATASOURCE_VARIABLE).put("label", "Data source").put("type", "datasource").put("query", "prometheus")
        .put("hide", 0).put("refresh", 1);
    constant(variables, NAMESPACE_VARIABLE, cr.getMetadata().getNamespace());
    constant(variables, JOB_VARIABLE, Names.server(cr));
    ArrayNode panels = d.putArray("panels");
    List<Panel> list = panels(cr);
    for (int i = 0; i < list.size(); i++) {
      panels.add(panel(list.get(i), i));
    }
    try {
      return JSON.writeValueAsString(d);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A hidden variable: the dashboard belongs to one TurboCache. */
  private static void constant(ArrayNode variables, String name, String value) {
    ObjectNode v = variables.addObject().put("name", name).put("type", "constant").put("query", value).put("hide", 2);
    v.putObject("current").put("text", value).put("value", value);
  }

  /** Two panels per row, 12 of Grafana's 24 columns wide. */
  private static ObjectNode panel(Panel panel, int index) {
    ObjectNode p = JSON.createObjectNode();
    p.put("id", index + 1);
    p.put("type", "timeseries");
    p.put("title", panel.title());
    datasource(p);
    p.putObject("gridPos").put("h", 8).put("w", 12).put("x", (index % 2) * 12).put("y", (index / 2) * 8);
    p.putObject("fieldConfig").putObject("defaults").put("unit", panel.unit());
    ArrayNode targets = p.putArray("targets");
    char refId = 'A';
    for (Target t : panel.targets()) {
      ObjectNode target = targets.addObject();
      target.put("refId", String.valueOf(refId++));
      datasource(target);
      target.put("expr", t.expr());
      target.put("legendFormat", t.legend());
    }
    return p;
  }

  private static void datasource(ObjectNode node) {
    node.putObject("datasource").put("type", "prometheus").put("uid", "${" + DATASOURCE_VARIABLE + "}");
  }
}
