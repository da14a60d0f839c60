package dev.turbocache.operator;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runtime settings of the operator, read from the environment (the Helm chart sets them).
 *
 * <ul>
 *   <li>{@code TURBOCACHE_WATCH_NAMESPACES}: {@code all} (default), {@code own} (the operator's
 *       namespace) or a comma-separated list of namespaces
 *   <li>{@code TURBOCACHE_LEADER_ELECTION}: {@code true} (default) to hold a Lease before reconciling
 *   <li>{@code TURBOCACHE_LEASE_NAME}: Lease name, default {@code turbocache-operator}
 *   <li>{@code TURBOCACHE_SERVER_SIDE_APPLY}: {@code true} (default); {@code false} only for API
 *       servers without SSA (the Fabric8 mock server)
 *   <li>{@code TURBOCACHE_HTTP_PORT}: port of {@code /healthz/live}, {@code /healthz/ready} and
 *       {@code /metrics}, default 8080
 *   <li>{@code POD_NAMESPACE}: the operator's namespace (downward API); else the kubeconfig context's namespace, else {@code default}
 *   <li>{@code TURBOCACHE_AWS_CREDENTIALS_SECRET}: a Secret in the operator's namespace with
 *       {@code AWS_ACCESS_KEY_ID} and {@code AWS_SECRET_ACCESS_KEY} (optionally {@code
 *       AWS_SESSION_TOKEN}) for Managed buckets; unset: the AWS SDK's default chain (IRSA or Pod
 *       Identity on the operator's ServiceAccount, environment, instance profile)
 *   <li>{@code TURBOCACHE_BUCKET_RESYNC_INTERVAL}: how often Managed buckets are checked for drift,
 *       default {@code 10m} (a number with {@code s}, {@code m} or {@code h})
 * </ul>
 */
public record OperatorSettings(
    Set<String> watchNamespaces,
    boolean watchOwnNamespace,
    boolean leaderElection,
    String leaseName,
    String ownNamespace,
    boolean serverSideApply,
    int httpPort,
    String awsCredentialsSecret,
    Duration bucketResync) {

  public static final String DEFAULT_LEASE_NAME = "turbocache-operator";
  public static final Duration DEFAULT_BUCKET_RESYNC = Duration.ofMinutes(10);

  /** Without Managed-bucket settings: the default AWS chain, resync every {@link #DEFAULT_BUCKET_RESYNC}. */
  public OperatorSettings(Set<String> watchNamespaces, boolean watchOwnNamespace, boolean leaderElection, String leaseName,
      String ownNamespace, boolean serverSideApply, int httpPort) {
    this(watchNamespaces, watchOwnNamespace, leaderElection, leaseName, ownNamespace, serverSideApply, httpPort, null,
        DEFAULT_BUCKET_RESYNC);
  }

  /** Watch all namespaces when {@link #watchNamespaces()} is empty and not {@link #watchOwnNamespace()}. */
  public boolean watchAllNamespaces() {
    return watchNamespaces.isEmpty() && !watchOwnNamespace;
  }

  public static OperatorSettings fromEnv(Map<String, String> env) {
    String watch = env.getOrDefault("TURBOCACHE_WATCH_NAMESPACES", "all").trim();
    boolean own = watch.equalsIgnoreCase("own");
    Set<String> namespaces = new LinkedHashSet<>();
    if (!own && !watch.equalsIgnoreCase("all") && !watch.isEmpty() && !watch.equals("*")) {
      Arrays.stream(watch.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(namespaces::add);
    }
    return new OperatorSettings(
        Set.copyOf(namespaces),
        own,
        bool(env, "TURBOCACHE_LEADER_ELECTION", true),
        env.getOrDefault("TURBOCACHE_LEASE_NAME", DEFAULT_LEASE_NAME),
        emptyToNull(env.get("POD_NAMESPACE")),
        bool(env, "TURBOCACHE_SERVER_SIDE_APPLY", true),
        Integer.parseInt(env.getOrDefault("TURBOCACHE_HTTP_PORT", "8080")),
        emptyToNull(env.get("TURBOCACHE_AWS_CREDENTIALS_SECRET")),
        duration(env, "TURBOCACHE_BUCKET_RESYNC_INTERVAL", DEFAULT_BUCKET_RESYNC));
  }

  private static Duration duration(Map<String, String> env, String key, Duration fallback) {
    String v = env.get(key);
    if (v == null || v.isBlank()) {
      return fallback;
    }
    Matcher m = DURATION.matcher(v.trim());
    if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
      throw new IllegalArgumentException(key + " must be a positive number of s, m or h (e.g. 10m), got '" + v + "'");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }

  private static final Pattern DURATION = Pattern.compile("([0-9]+)(s|m|h)");

  private static boolean bool(Map<String, String> env, String key, boolean fallback) {
    String v = env.get(key);
    if (v == null || v.isBlank()) {
      return fallback;
    }
    return switch (v.trim().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "1", "on" -> true;
      case "false", "no", "0", "off" -> false;
      default -> throw new IllegalArgumentException(key + " must be true or false, got '" + v + "'");
    };
  }

  private static String emptyToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
