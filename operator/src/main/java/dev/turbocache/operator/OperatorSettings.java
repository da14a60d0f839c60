package dev.turbocache.operator;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

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
 * </ul>
 */
public record OperatorSettings(
    Set<String> watchNamespaces,
    boolean watchOwnNamespace,
    boolean leaderElection,
    String leaseName,
    String ownNamespace,
    boolean serverSideApply,
    int httpPort) {

  public static final String DEFAULT_LEASE_NAME = "turbocache-operator";

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
        Integer.parseInt(env.getOrDefault("TURBOCACHE_HTTP_PORT", "8080")));
  }

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
