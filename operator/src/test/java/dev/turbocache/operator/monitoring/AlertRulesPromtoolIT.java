package dev.turbocache.operator.monitoring;

import static dev.turbocache.operator.monitoring.MonitoredCaches.everything;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turbocache.operator.api.v1alpha1.TurboCache;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.Rule;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production rules (windows and {@code for} as rendered for a cluster) under {@code promtool
 * check rules} and {@code promtool test rules}: for every alert a case where it fires (and is not
 * firing yet before its {@code for} has passed) and cases where it stays quiet (healthy values, too
 * little traffic to judge, other tiers or routes). The expected annotations are the rule's own with
 * the labels and value filled in, so a change of wording does not need a second copy here.
 */
class AlertRulesPromtoolIT {
  static final String SEL = "namespace=\"build-infra\",job=\"monorepo\",instance=\"10.1.2.3:9090\"";
  static final String OPERATOR_SEL = "namespace=\"build-infra\",name=\"monorepo\",job=\"turbocache-operator\",instance=\"10.1.0.9:8080\"";
  static TurboCache cr;
  static PrometheusRule rule;
  static Map<String, Rule> rules;

  @BeforeAll
  static void render() {
    cr = everything();
    rule = ServerPrometheusRule.desired(cr);
    rules = new LinkedHashMap<>();
    rule.getSpec().getGroups().get(0).getRules().forEach(r -> rules.put(r.getAlert(), r));
  }

  /** A series of the test: its selector and promtool's expanding notation ({@code 0+60x30}: +60 per minute). */
  record Series(String series, String values) {}

  /** An expected firing alert: its labels beyond the rule's own, and the value {@code $value} expands to. */
  record Firing(Map<String, String> labels, String value) {}

  /**
   * One promtool test case: the series, then at each evaluation time the alerts of {@code alert} that
   * must be firing (none: quiet).
   */
  record Case(String alert, String what, List<Series> input, Map<String, List<Firing>> expectedAt) {}

  static Series s(String metric, String labels, String values) {
    return new Series(metric + "{" + SEL + (labels.isEmpty() ? "" : "," + labels) + "}", values);
  }

  static Firing firing(String value, String... labels) {
    Map<String, String> l = new LinkedHashMap<>();
    for (int i = 0; i < labels.length; i += 2) {
      l.put(labels[i], labels[i + 1]);
    }
    return new Firing(l, value);
  }

  static Case fires(String alert, String what, String before, String after, Firing f, Series... input) {
    Map<String, List<Firing>> at = new LinkedHashMap<>();
    at.put(before, List.of());
    at.put(after, List.of(f));
    return new Case(alert, what, List.of(input), at);
  }

  static Case quiet(String alert, String what, String at, Series... input) {
    return new Case(alert, what, List.of(input), Map.of(at, List.of()));
  }

  static final String REQ = "turbocache_http_requests_seconds_count";
  static final String PUT = "route=\"/v8/artifacts/{hash}\",method=\"PUT\"";
  static final String GET = "route=\"/v8/artifacts/{hash}\",method=\"GET\"";
  static final String LOOKUPS = "turbocache_team_lookups_total";
  static final String ERRORS = "turbocache_tier_errors_total";
  static final String OPS = "turbocache_tier_latency_seconds_count";
  static final String BUCKET = "turbocache_http_requests_seconds_bucket";

  static List<Case> cases() {
    List<Case> c = new ArrayList<>();
    c.add(fires("TurboCacheNoServerUp", "every server down", "3m", "6m", firing(""), s("up", "", "0x30")));
    c.add(fires("TurboCacheNoServerUp", "the servers' series are gone", "3m", "6m", firing(""),
        new Series("up{namespace=\"build-infra\",job=\"another-cache\"}", "1x30")));
    c.add(quiet("TurboCacheNoServerUp", "one server of two up", "10m", s("up", "", "1x30"),
        new Series("up{namespace=\"build-infra\",job=\"monorepo\",instance=\"10.1.2.4:9090\"}", "0x30")));

    c.add(fires("TurboCacheErrorRatioHigh", "half the uploads fail", "4m", "10m", firing(""),
        s(REQ, PUT + ",status=\"503\"", "0+30x30"), s(REQ, PUT + ",status=\"202\"", "0+30x30")));
    c.add(quiet("TurboCacheErrorRatioHigh", "too few requests to judge", "15m",
        s(REQ, PUT + ",status=\"503\"", "0+1x30"), s(REQ, PUT + ",status=\"202\"", "0+1x30")));
    c.add(quiet("TurboCacheErrorRatioHigh", "no server errors", "15m",
        s(REQ, PUT + ",status=\"503\"", "0x30"), s(REQ, PUT + ",status=\"202\"", "0+60x30"), s(REQ, GET + ",status=\"404\"", "0+60x30")));
    c.add(quiet("TurboCacheErrorRatioHigh", "failing probes are not traffic", "15m",
        s(REQ, "route=\"/healthz/ready\",method=\"GET\",status=\"503\"", "0+60x30"), s(REQ, PUT + ",status=\"202\"", "0+30x30")));

    c.add(fires("TurboCacheHitRatioLow", "one download in six hits", "12m", "22m", firing(""),
        s(LOOKUPS, "team=\"acme\",result=\"hit\"", "0+10x30"), s(LOOKUPS, "team=\"acme\",result=\"miss\"", "0+50x30")));
    c.add(quiet("TurboCacheHitRatioLow", "too few downloads to judge", "25m",
        s(LOOKUPS, "team=\"acme\",result=\"hit\"", "0x30"), s(LOOKUPS, "team=\"acme\",result=\"miss\"", "0+1x30")));
    c.add(quiet("TurboCacheHitRatioLow", "most downloads hit", "25m",
        s(LOOKUPS, "team=\"acme\",result=\"hit\"", "0+50x30"), s(LOOKUPS, "team=\"acme\",result=\"miss\"", "0+10x30")));

    c.add(fires("TurboCacheLatencyHigh", "downloads take between 1 and 2.5 s", "8m", "15m",
        firing("", "route", "/v8/artifacts/{hash}", "method", "GET"),
        s(BUCKET, GET + ",status=\"200\",le=\"0.1\"", "0x30"), s(BUCKET, GET + ",status=\"200\",le=\"1.0\"", "0x30"),
        s(BUCKET, GET + ",status=\"200\",le=\"2.5\"", "0+60x30"), s(BUCKET, GET + ",status=\"200\",le=\"+Inf\"", "0+60x30")));
    c.add(quiet("TurboCacheLatencyHigh", "downloads under 100 ms", "15m",
        s(BUCKET, GET + ",status=\"200\",le=\"0.1\"", "0+60x30"), s(BUCKET, GET + ",status=\"200\",le=\"1.0\"", "0+60x30"),
        s(BUCKET, GET + ",status=\"200\",le=\"2.5\"", "0+60x30"), s(BUCKET, GET + ",status=\"200\",le=\"+Inf\"", "0+60x30")));
    c.add(quiet("TurboCacheLatencyHigh", "a slow probe is not traffic", "15m",
        s(BUCKET, "route=\"/healthz/ready\",method=\"GET\",status=\"200\",le=\"2.5\"", "0+60x30"),
        s(BUCKET, "route=\"/healthz/ready\",method=\"GET\",status=\"200\",le=\"+Inf\"", "0+60x30")));

    c.add(fires("TurboCacheTierErrors", "half the disk reads fail", "8m", "15m", firing("", "tier", "disk"),
        s(ERRORS, "tier=\"disk\",op=\"get\"", "0+10x30"), s(OPS, "tier=\"disk\",op=\"get\"", "0+20x30")));
    c.add(quiet("TurboCacheTierErrors", "no disk errors", "15m",
        s(ERRORS, "tier=\"disk\",op=\"get\"", "0x30"), s(OPS, "tier=\"disk\",op=\"get\"", "0+60x30")));
    c.add(quiet("TurboCacheTierErrors", "S3 errors are TurboCacheS3Errors", "15m",
        s(ERRORS, "tier=\"s3\",op=\"put\"", "0+10x30"), s(OPS, "tier=\"s3\",op=\"put\"", "0+20x30")));

    c.add(fires("TurboCacheS3Errors", "half the S3 writes fail", "4m", "10m", firing(""),
        s(ERRORS, "tier=\"s3\",op=\"put\"", "0+10x30"), s(OPS, "tier=\"s3\",op=\"put\"", "0+20x30")));
    c.add(fires("TurboCacheS3Errors", "S3 skipped by its breaker, few operations reach it", "3m", "7m", firing(""),
        s(ERRORS, "tier=\"s3\",op=\"put\"", "0+1x30"), s(OPS, "tier=\"s3\",op=\"put\"", "0+100x30"),
        s("turbocache_tier_circuit_open", "tier=\"s3\",op=\"write\"", "1x30")));
    c.add(quiet("TurboCacheS3Errors", "one S3 error in a hundred", "15m",
        s(ERRORS, "tier=\"s3\",op=\"put\"", "0+1x30"), s(OPS, "tier=\"s3\",op=\"put\"", "0+100x30"),
        s("turbocache_tier_circuit_open", "tier=\"s3\",op=\"write\"", "0x30")));

    c.add(fires("TurboCacheTierCircuitOpen", "the redis breaker stays open", "3m", "7m", firing("", "tier", "redis"),
        s("turbocache_tier_circuit_open", "tier=\"redis\",op=\"read\"", "1x30"),
        s("turbocache_tier_circuit_open", "tier=\"redis\",op=\"write\"", "0x30")));
    c.add(quiet("TurboCacheTierCircuitOpen", "breakers closed", "10m", s("turbocache_tier_circuit_open", "tier=\"redis\",op=\"read\"", "0x30")));
    c.add(quiet("TurboCacheTierCircuitOpen", "an open S3 breaker is TurboCacheS3Errors", "10m",
        s("turbocache_tier_circuit_open", "tier=\"s3\",op=\"read\"", "1x30")));

    c.add(fires("TurboCacheStorageFull", "the disk is full", "3m", "7m", firing("", "tier", "disk"),
        s("turbocache_tier_storage_full", "tier=\"disk\"", "1x30")));
    c.add(quiet("TurboCacheStorageFull", "the disk has room", "10m", s("turbocache_tier_storage_full", "tier=\"disk\"", "0x30")));

    c.add(fires("TurboCacheWriteBackQueueNearFull", "the queue is 90% full", "3m", "7m", firing(""),
        s("turbocache_writeback_queue_capacity_ratio", "", "0.9x30")));
    c.add(quiet("TurboCacheWriteBackQueueNearFull", "the queue is half full", "10m",
        s("turbocache_writeback_queue_capacity_ratio", "", "0.5x30")));

    c.add(fires("TurboCacheWriteBackLagging", "the oldest upload waits 15 minutes", "3m", "7m", firing(""),
        s("turbocache_writeback_oldest_age_seconds", "", "900x30")));
    c.add(quiet("TurboCacheWriteBackLagging", "the oldest upload waits 30 s", "10m",
        s("turbocache_writeback_oldest_age_seconds", "", "30x30")));

    c.add(fires("TurboCacheAuthFileStale", "a server refuses the tokens file", "6m", "12m", firing("", "file", "tokens"),
        s("turbocache_auth_file_stale", "file=\"tokens\"", "0x2 1x28"), s("turbocache_auth_file_stale", "file=\"revoked-token-ids\"", "0x30")));
    c.add(quiet("TurboCacheAuthFileStale", "a good version came within minutes", "12m",
        s("turbocache_auth_file_stale", "file=\"tokens\"", "0x2 1x3 0x25")));

    String issuer = "issuer=\"https://token.actions.githubusercontent.com\"";
    c.add(fires("TurboCacheJwtIssuerUnreachable", "one server cannot reach the issuer", "5m", "12m",
        firing("0", "issuer", "https://token.actions.githubusercontent.com"),
        s("turbocache_auth_jwt_issuer_up", issuer, "0x30"),
        new Series("turbocache_auth_jwt_issuer_up{" + SEL.replace("10.1.2.3", "10.1.2.4") + "," + issuer + "}", "1x30")));
    c.add(quiet("TurboCacheJwtIssuerUnreachable", "a fetch failed for a few minutes", "12m",
        s("turbocache_auth_jwt_issuer_up", issuer, "1x5 0x4 1x20")));

    c.add(fires("TurboCacheRedisMasters", "two masters", "1m", "4m",
        firing("2", "name", "monorepo", "job", "turbocache-operator", "instance", "10.1.0.9:8080"),
        new Series("turbocache_operator_redis_masters{" + OPERATOR_SEL + "}", "2x30")));
    c.add(fires("TurboCacheRedisMasters", "no master", "1m", "4m",
        firing("0", "name", "monorepo", "job", "turbocache-operator", "instance", "10.1.0.9:8080"),
        new Series("turbocache_operator_redis_masters{" + OPERATOR_SEL + "}", "0x30")));
    c.add(quiet("TurboCacheRedisMasters", "one master", "10m", new Series("turbocache_operator_redis_masters{" + OPERATOR_SEL + "}", "1x30"),
        new Series("turbocache_operator_redis_masters{namespace=\"build-infra\",name=\"another-cache\"}", "2x30")));

    c.add(fires("TurboCacheRedisSentinelsBelowQuorum", "one sentinel of a quorum of two", "3m", "7m",
        firing("1", "name", "monorepo", "job", "turbocache-operator", "instance", "10.1.0.9:8080"),
        new Series("turbocache_operator_redis_sentinels_ready{" + OPERATOR_SEL + "}", "1x30")));
    c.add(quiet("TurboCacheRedisSentinelsBelowQuorum", "two sentinels: the quorum", "10m",
        new Series("turbocache_operator_redis_sentinels_ready{" + OPERATOR_SEL + "}", "2x30")));
    return c;
  }

  @Test
  void everyRenderedAlertHasACaseWhereItFiresAndOneWhereItStaysQuiet() {
    Set<String> fire = new LinkedHashSet<>();
    Set<String> quiet = new LinkedHashSet<>();
    for (Case c : cases()) {
      assertThat(rules).as("case '%s' names a rendered alert", c.what()).containsKey(c.alert());
      c.expectedAt().values().forEach(f -> (f.isEmpty() ? quiet : fire).add(c.alert()));
    }
    assertThat(fire).containsExactlyInAnyOrderElementsOf(rules.keySet());
    assertThat(quiet).containsExactlyInAnyOrderElementsOf(rules.keySet());
  }

  @Test
  void theRenderedRulesPassPromtoolCheckRules(@TempDir Path dir) {
    RuleFiles.write(dir.resolve("rules.yaml"), RuleFiles.ruleFile(rule));
    PrometheusBinaries.Result r = PrometheusBinaries.promtool(dir, "check", "rules", "rules.yaml");
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.output()).contains("SUCCESS: " + rules.size() + " rules found");
  }

  @Test
  void eachAlertFiresWhenItShouldAndStaysQuietWhenItShouldNot(@TempDir Path dir) throws IOException {
    RuleFiles.write(dir.resolve("rules.yaml"), RuleFiles.ruleFile(rule));
    RuleFiles.write(dir.resolve("tests.yaml"), RuleFiles.YAML.writeValueAsString(testFile(cases())));
    PrometheusBinaries.Result r = PrometheusBinaries.promtool(dir, "test", "rules", "tests.yaml");
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.output()).contains("SUCCESS");
  }

  /** The harness can fail: an alert expected where the rules raise none fails promtool. */
  @Test
  void aWrongExpectationFailsPromtool(@TempDir Path dir) throws IOException {
    Case wrong = new Case("TurboCacheStorageFull", "expects an alert on a disk with room", List.of(
        s("turbocache_tier_storage_full", "tier=\"disk\"", "0x30")), Map.of("10m", List.of(firing("", "tier", "disk"))));
    RuleFiles.write(dir.resolve("rules.yaml"), RuleFiles.ruleFile(rule));
    RuleFiles.write(dir.resolve("tests.yaml"), RuleFiles.YAML.writeValueAsString(testFile(List.of(wrong))));
    PrometheusBinaries.Result r = PrometheusBinaries.promtool(dir, "test", "rules", "tests.yaml");
    assertThat(r.exitCode()).as(r.output()).isNotZero();
    assertThat(r.output()).contains("TurboCacheStorageFull");
  }

  /** promtool's unit test file: one test group per case, evaluated every minute like a production Prometheus. */
  static Map<String, Object> testFile(List<Case> cases) {
    List<Object> tests = new ArrayList<>();
    for (Case c : cases) {
      Map<String, Object> t = new LinkedHashMap<>();
      t.put("name", c.alert() + ": " + c.what());
      t.put("interval", "1m");
      t.put("input_series", c.input().stream().map(s -> Map.of("series", s.series(), "values", s.values())).toList());
      List<Object> checks = new ArrayList<>();
      c.expectedAt().forEach((at, firing) -> checks.add(Map.of("eval_time", at, "alertname", c.alert(),
          "exp_alerts", firing.stream().map(f -> expected(rules.get(c.alert()), f)).toList())));
      t.put("alert_rule_test", checks);
      tests.add(t);
    }
    Map<String, Object> file = new LinkedHashMap<>();
    file.put("rule_files", List.of("rules.yaml"));
    file.put("evaluation_interval", "1m");
    file.put("tests", tests);
    return file;
  }

  static Map<String, Object> expected(Rule r, Firing f) {
    Map<String, String> labels = new LinkedHashMap<>(f.labels());
    labels.putAll(r.getLabels());
    Map<String, String> annotations = new LinkedHashMap<>();
    r.getAnnotations().forEach((k, v) -> annotations.put(k, expand(v, labels, f.value())));
    return Map.of("exp_labels", labels, "exp_annotations", annotations);
  }

  private static final Pattern TEMPLATE = Pattern.compile("\\{\\{ \\$(labels\\.([a-z_]+)|value) }}");

  /** The two template forms the rules use: {@code {{ $labels.x }}} and {@code {{ $value }}}. */
  static String expand(String text, Map<String, String> labels, String value) {
    Matcher m = TEMPLATE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String replacement = m.group(2) != null ? labels.get(m.group(2)) : value;
      assertThat(replacement).as("template %s in %s", m.group(), text).isNotNull();
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    assertThat(out.toString()).as("only known templates in %s", text).doesNotContain("{{");
    return out.toString();
  }
}
