package dev.turbocache.operator.monitoring;

import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.api.v1alpha1.spec.ServerSpec;
import dev.turbocache.operator.model.Names;
import dev.turbocache.operator.model.ResolvedSpec;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The alerts of one TurboCache, as pure data: which apply follows from the spec (write-back alerts
 * only with WriteBack, S3 alerts only with an s3 tier, Redis alerts only for a Redis the operator
 * runs, the issuer alert only with JWT issuers), thresholds come from {@code
 * spec.monitoring.prometheusRule}. Every alert selects the TurboCache's own series: the cache
 * servers' by {@code namespace} and {@code job} (a ServiceMonitor names the job after the Service),
 * the operator's by its {@code namespace} and {@code name} labels.
 *
 * <p>Ratios judge only with {@link #MIN_REQUESTS} requests in the window, so a quiet night with one
 * unlucky request does not page. {@code docs/alerts.md} has a section per alert (what it means, what
 * to do); {@link #RUNBOOK} points there.
 */
public final class AlertRules {
  public static final String CRITICAL = "critical";
  public static final String WARNING = "warning";
  /** Requests (or downloads) in the window below which a ratio is not judged. */
  public static final int MIN_REQUESTS = 20;
  public static final String RUNBOOK = "docs/alerts.md#";
  /** Probes and scrapes are not traffic: they would dilute the ratios and the latency. */
  static final String NOT_OPERATIONS = "route!~\"/healthz/.*|/metrics\"";

  /**
   * The rate window and how much shorter {@code for} is than in production. Production is {@link
   * #PRODUCTION}; tests with a real Prometheus shorten both so alerts fire within seconds, with the
   * same expressions.
   */
  public record Timing(String window, long forDivisor) {
    public static final Timing PRODUCTION = new Timing("5m", 1);

    String forOf(Duration production) {
      return PromDuration.of(production.dividedBy(forDivisor));
    }
  }

  /** One alerting rule: {@code forDuration} is the production value. */
  public record Alert(String name, String expr, Duration forDuration, String severity, String summary, String description) {
    public String runbook() {
      return RUNBOOK + name.toLowerCase();
    }
  }

  /**
   * The cache servers' series of one TurboCache ({@code selector}) in the rate window: every alert
   * on them writes its selectors and windows the same way.
   */
  private record Servers(String selector, String window) {
    String series(String metric, String... matchers) {
      return metric + "{" + selector + Stream.of(matchers).map(m -> "," + m).collect(Collectors.joining()) + "}";
    }

    String rate(String metric, String... matchers) {
      return "rate(" + series(metric, matchers) + "[" + window + "])";
    }

    /** The condition appended to a ratio so that it is judged with {@link #MIN_REQUESTS} only. */
    String judgedOnly(String metric, String... matchers) {
      return " and sum(increase(" + series(metric, matchers) + "[" + window + "])) >= " + MIN_REQUESTS;
    }
  }

  private AlertRules() {}

  /** The alerts for {@code cr}; empty when its prometheusRule is not enabled. */
  public static List<Alert> of(TurboCache cr, Timing t) {
    ResolvedSpec s = ResolvedSpec.of(cr);
    ResolvedSpec.Alerts a = s.monitoring().alerts();
    if (a == null) {
      return List.of();
    }
    String name = Names.server(cr);
    Servers q = new Servers("namespace=\"" + cr.getMetadata().getNamespace() + "\",job=\"" + name + "\"", t.window());
    String requests = "turbocache_http_requests_seconds_count";
    String lookups = "turbocache_team_lookups_total";
    List<Alert> out = new ArrayList<>();
    out.add(new Alert("TurboCacheNoServerUp",
        "absent(" + q.series("up") + " == 1)",
        Duration.ofMinutes(5), CRITICAL,
        "No cache server of " + name + " is up",
        "Prometheus scrapes no cache server of TurboCache " + name + " that is up: the pods are gone, not ready"
            + " or not reachable on their metrics port. Builds run without the remote cache."));
    out.add(new Alert("TurboCacheErrorRatioHigh",
        "sum(" + q.rate(requests, NOT_OPERATIONS, "status=~\"5..\"") + ") / sum(" + q.rate(requests, NOT_OPERATIONS)
            + ") > " + num(a.errorRatioAbove()) + q.judgedOnly(requests, NOT_OPERATIONS),
        Duration.ofMinutes(5), CRITICAL,
        "More than " + percent(a.errorRatioAbove()) + " of the requests to " + name + " fail with a 5xx",
        "The cache servers of " + name + " answer more than " + percent(a.errorRatioAbove()) + " of their requests"
            + " with a server error (503 when the durable tier fails uploads, 507 when storage is full)."));
    out.add(new Alert("TurboCacheHitRatioLow",
        "(1 - sum(" + q.rate(lookups, "result=\"miss\"") + ") / sum(" + q.rate(lookups) + ")) < "
            + num(a.hitRatioBelow()) + q.judgedOnly(lookups),
        Duration.ofMinutes(15), WARNING,
        "Fewer than " + percent(a.hitRatioBelow()) + " of the downloads from " + name + " hit",
        "Artifact downloads from " + name + " hit less than " + percent(a.hitRatioBelow()) + " of the time:"
            + " the cache is cold, evicts too early (tiers too small, TTLs too short) or builds are not reproducible."));
    out.add(new Alert("TurboCacheLatencyHigh",
        "histogram_quantile(0.95, sum by (le, route, method) ("
            + q.rate("turbocache_http_requests_seconds_bucket", NOT_OPERATIONS) + ")) > " + num(a.p95LatencyAboveSeconds()),
        Duration.ofMinutes(10), WARNING,
        "p95 latency of {{ $labels.method }} {{ $labels.route }} on " + name + " is above " + num(a.p95LatencyAboveSeconds()) + "s",
        "The slowest 5% of {{ $labels.method }} {{ $labels.route }} requests to " + name + " take longer than "
            + num(a.p95LatencyAboveSeconds()) + " seconds."));
    out.add(new Alert("TurboCacheTierErrors",
        "sum by (tier) (" + q.rate("turbocache_tier_errors_total", "tier!=\"s3\"")
            + ") / sum by (tier) (" + q.rate("turbocache_tier_latency_seconds_count", "tier!=\"s3\"") + ") > "
            + num(a.errorRatioAbove()),
        Duration.ofMinutes(10), WARNING,
        "The {{ $labels.tier }} tier of " + name + " fails",
        "More than " + percent(a.errorRatioAbove()) + " of the operations on the {{ $labels.tier }} tier of " + name
            + " fail. They count as misses, so builds still work, but they lose hits."));
    out.add(new Alert("TurboCacheTierCircuitOpen",
        "max by (tier) (" + q.series("turbocache_tier_circuit_open", "tier!=\"s3\"") + ") == 1",
        Duration.ofMinutes(5), WARNING,
        "The {{ $labels.tier }} tier of " + name + " is skipped (circuit breaker open)",
        "After repeated failures the cache servers of " + name + " stopped asking the {{ $labels.tier }} tier;"
            + " they probe it and use it again once it answers."));
    out.add(new Alert("TurboCacheStorageFull",
        "max by (tier) (" + q.series("turbocache_tier_storage_full") + ") == 1",
        Duration.ofMinutes(5), CRITICAL,
        "The {{ $labels.tier }} tier of " + name + " is out of space",
        "Writes to the {{ $labels.tier }} tier of " + name + " fail because its file system is full;"
            + " uploads it must take are refused with 507."));
    out.add(new Alert("TurboCacheAuthFileStale",
        "max by (file) (" + q.series("turbocache_auth_file_stale") + ") == 1",
        Duration.ofMinutes(5), WARNING,
        "Cache servers of " + name + " keep an older {{ $labels.file }} file",
        "At least one cache server of " + name + " cannot read or refuses the {{ $labels.file }} file as it is now"
            + " (tokens: the tokens Secret; revoked-token-ids: spec.auth.jwt.revokedTokenIds): it keeps the version"
            + " before, so the changes since do not apply there, and a pod started now fails to start."));
    if (!s.jwtIssuers().isEmpty()) {
      out.add(new Alert("TurboCacheJwtIssuerUnreachable",
          "min by (issuer) (" + q.series("turbocache_auth_jwt_issuer_up") + ") == 0",
          Duration.ofMinutes(10), WARNING,
          "Cache servers of " + name + " cannot fetch the keys of JWT issuer {{ $labels.issuer }}",
          "At least one cache server of " + name + " has failed to fetch the signing keys of {{ $labels.issuer }}:"
              + " tokens signed with keys it has keep working, but a rotated key (a new kid) is refused"
              + " with 401 unknown_key, and a server started meanwhile refuses the issuer's tokens with 503."));
    }
    if (s.s3() != null) {
      // Or its breaker is open: while S3 is skipped, the operations that still reach it are few (and
      // write-back's skipped attempts are timed too), so the ratio alone would understate an outage.
      out.add(new Alert("TurboCacheS3Errors",
          "(sum(" + q.rate("turbocache_tier_errors_total", "tier=\"s3\"")
              + ") / sum(" + q.rate("turbocache_tier_latency_seconds_count", "tier=\"s3\"") + ") > " + num(a.errorRatioAbove())
              + ") or (max(" + q.series("turbocache_tier_circuit_open", "tier=\"s3\"") + ") == 1)",
          Duration.ofMinutes(5), CRITICAL,
          "S3 operations of " + name + " fail",
          "More than " + percent(a.errorRatioAbove()) + " of the operations of " + name + " on its S3 bucket fail,"
              + " or the cache servers skip S3 after repeated failures (circuit breaker open):"
              + " with write-through uploads fail, with write-back they pile up in the queue."));
    }
    if (s.writePolicy() == ServerSpec.WritePolicy.WriteBack) {
      out.add(new Alert("TurboCacheWriteBackQueueNearFull",
          "max(" + q.series("turbocache_writeback_queue_capacity_ratio") + ") > " + num(a.writeBackQueueFullAbove()),
          Duration.ofMinutes(5), WARNING,
          "The write-back queue of " + name + " is more than " + percent(a.writeBackQueueFullAbove()) + " full",
          "Uploads wait for the durable tier faster than it takes them; when the queue is full, uploads of "
              + name + " fall back to synchronous writes."));
      out.add(new Alert("TurboCacheWriteBackLagging",
          "max(" + q.series("turbocache_writeback_oldest_age_seconds") + ") > " + num(a.writeBackOldestAboveSeconds()),
          Duration.ofMinutes(5), WARNING,
          "The durable tier of " + name + " lags more than " + num(a.writeBackOldestAboveSeconds()) + "s behind",
          "The oldest upload in the write-back queue of " + name + " is older than " + num(a.writeBackOldestAboveSeconds())
              + " seconds: the durable tier fails or is too slow, and those artifacts exist only on the pod's disk."));
    }
    ResolvedSpec.ManagedRedis redis = s.redis().managed();
    if (redis != null) {
      String operatorSel = "{namespace=\"" + cr.getMetadata().getNamespace() + "\",name=\"" + cr.getMetadata().getName() + "\"}";
      out.add(new Alert("TurboCacheRedisMasters",
          "turbocache_operator_redis_masters" + operatorSel + " != 1",
          Duration.ofMinutes(2), WARNING,
          "The Redis of " + name + " has {{ $value }} masters",
          "The operator counts {{ $value }} Redis pods of " + name + " that report being the master (1 is healthy):"
              + " with none the redis tier fails (misses), with two writes split between them."));
      if (s.redis().sentinel()) {
        out.add(new Alert("TurboCacheRedisSentinelsBelowQuorum",
            "turbocache_operator_redis_sentinels_ready" + operatorSel + " < " + redis.quorum(),
            Duration.ofMinutes(5), WARNING,
            "Fewer than " + redis.quorum() + " sentinels of " + name + " watch the master",
            "Only {{ $value }} sentinels of " + name + " watch the master, fewer than the quorum of " + redis.quorum()
                + ": if the master fails now, no failover happens."));
      }
    }
    return out;
  }

  /** Labels every alert of {@code cr} carries besides its severity: where it comes from. */
  public static Map<String, String> labels(TurboCache cr, Alert alert) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("severity", alert.severity());
    labels.put("namespace", cr.getMetadata().getNamespace());
    labels.put("turbocache", cr.getMetadata().getName());
    return labels;
  }

  /** A threshold as PromQL writes it: no exponent, no trailing zeros. */
  static String num(double value) {
    return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }

  private static String percent(double ratio) {
    return num(ratio * 100) + "%";
  }
}
