package dev.turbocache.operator.model;

import dev.turbocache.operator.api.v1alpha1.TurboCache;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The labels every child carries. Children never inherit the TurboCache's own labels or annotations
 * (GitOps tools track objects by them).
 */
public final class Labels {
  public static final String NAME = "app.kubernetes.io/name";
  public static final String INSTANCE = "app.kubernetes.io/instance";
  public static final String COMPONENT = "app.kubernetes.io/component";
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String VERSION = "app.kubernetes.io/version";

  /**
   * Marks the cache servers' metrics Service: the clients' Service carries the same selector labels,
   * and a ServiceMonitor that matched it too would scrape it.
   */
  public static final String SERVICE = "turbocache.dev/service";
  public static final String METRICS_SERVICE = "metrics";

  public static final String APP = "turbocache";
  public static final String OPERATOR = "turbocache-operator";

  /** Label selector of every informer of a child kind: only objects this operator manages. */
  public static final String MANAGED_SELECTOR = MANAGED_BY + "=" + OPERATOR;

  /** Informer selectors of each component's children (annotation values must be constants). */
  public static final String SERVER_SELECTOR = MANAGED_SELECTOR + "," + COMPONENT + "=cache-server";
  public static final String REDIS_SELECTOR = MANAGED_SELECTOR + "," + COMPONENT + "=redis";
  public static final String SENTINEL_SELECTOR = MANAGED_SELECTOR + "," + COMPONENT + "=sentinel";
  public static final String MONITORING_SELECTOR = MANAGED_SELECTOR + "," + COMPONENT + "=monitoring";

  public enum Component {
    CACHE_SERVER("cache-server"),
    REDIS("redis"),
    SENTINEL("sentinel"),
    /** What the operator keeps for the s3 tier's bucket (the cache servers' IAM policy). */
    BUCKET("bucket"),
    /** ServiceMonitor, PrometheusRule and dashboard ConfigMap: they watch the cache servers, they are not part of them. */
    MONITORING("monitoring");

    public final String value;

    Component(String value) {
      this.value = value;
    }
  }

  private Labels() {}

  /** Labels of a child object. */
  public static Map<String, String> of(TurboCache cr, Component component) {
    Map<String, String> labels = selector(cr, component);
    labels.put(MANAGED_BY, OPERATOR);
    return labels;
  }

  /**
   * Labels of a child that something else discovers by labels the user chooses (a Prometheus by
   * {@code release}, the Grafana sidecar by {@code grafana_dashboard}): the user's first, then the
   * operator's, which win, so the child stays found by its own informer.
   */
  public static Map<String, String> of(TurboCache cr, Component component, Map<String, String> userLabels) {
    Map<String, String> labels = new LinkedHashMap<>(userLabels);
    labels.putAll(of(cr, component));
    return labels;
  }

  /** What a ServiceMonitor selects the metrics Service by: the cache servers' selector plus {@link #SERVICE}. */
  public static Map<String, String> metricsServiceSelector(TurboCache cr) {
    Map<String, String> labels = selector(cr, Component.CACHE_SERVER);
    labels.put(SERVICE, METRICS_SERVICE);
    return labels;
  }

  /** The immutable subset used in selectors (Deployment, Service, PDB, NetworkPolicy). */
  public static Map<String, String> selector(TurboCache cr, Component component) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(NAME, APP);
    labels.put(INSTANCE, cr.getMetadata().getName());
    labels.put(COMPONENT, component.value);
    return labels;
  }
}
