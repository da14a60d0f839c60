package dev.turbocache.operator.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.turbocache.operator.api.v1alpha1.ApiDefaults;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.Map;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class MonitoringSpec {
  @JsonPropertyDescription("A ServiceMonitor for the cache servers' metrics port (needs the prometheus-operator CRDs).")
  public ServiceMonitor serviceMonitor;

  @JsonPropertyDescription("A PrometheusRule with the cache's alerts (needs the prometheus-operator CRDs).")
  public PrometheusRule prometheusRule;

  @JsonPropertyDescription("A Grafana dashboard as a ConfigMap for the Grafana sidecar.")
  public GrafanaDashboard grafanaDashboard;

  @JsonPropertyDescription("With networkPolicy.enabled: the namespaces whose pods may scrape the metrics port (and only it);"
      + " default the namespace named monitoring.")
  public LabelSelector scraperNamespaceSelector;

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ServiceMonitor {
    @JsonPropertyDescription("Create the ServiceMonitor (default false).")
    @Default(ApiDefaults.FALSE)
    public Boolean enabled;

    @JsonPropertyDescription("Labels your Prometheus selects on, e.g. release: kube-prometheus-stack"
        + " (without it kube-prometheus-stack ignores the ServiceMonitor).")
    public Map<String, String> labels;

    @JsonPropertyDescription("How often Prometheus scrapes each pod (default 30s).")
    @Default(ApiDefaults.SCRAPE_INTERVAL)
    @Pattern(ApiDefaults.DURATION_PATTERN)
    public String interval;

    @JsonPropertyDescription("How long one scrape may take; at most the interval.")
    @Default(ApiDefaults.SCRAPE_TIMEOUT)
    @Pattern(ApiDefaults.DURATION_PATTERN)
    public String scrapeTimeout;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class PrometheusRule {
    @JsonPropertyDescription("Create the PrometheusRule (default false).")
    @Default(ApiDefaults.FALSE)
    public Boolean enabled;

    @JsonPropertyDescription("Labels your Prometheus selects rules on, e.g. release: kube-prometheus-stack.")
    public Map<String, String> labels;

    @JsonPropertyDescription("Alert when the share of artifact downloads that hit stays below this (with enough traffic to judge).")
    @Default(ApiDefaults.HIT_RATIO_BELOW)
    @Min(0)
    @Max(1)
    public Double hitRatioBelow;

    @JsonPropertyDescription("Alert when the p95 latency of a route stays above this many seconds.")
    @Default(ApiDefaults.P95_LATENCY_ABOVE)
    @Min(0)
    public Double p95LatencyAboveSeconds;

    @JsonPropertyDescription("Alert when the share of requests answered with a 5xx stays above this.")
    @Default(ApiDefaults.ERROR_RATIO_ABOVE)
    @Min(0)
    @Max(1)
    public Double errorRatioAbove;

    @JsonPropertyDescription("WriteBack: alert when the write-back queue stays fuller than this share of its capacity.")
    @Default(ApiDefaults.WRITE_BACK_FULL_ABOVE)
    @Min(0)
    @Max(1)
    public Double writeBackQueueFullAbove;

    @JsonPropertyDescription("WriteBack: alert when the oldest queued upload stays older than this many seconds.")
    @Default(ApiDefaults.WRITE_BACK_AGE_ABOVE)
    @Min(1)
    public Double writeBackOldestAboveSeconds;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class GrafanaDashboard {
    @JsonPropertyDescription("Create the dashboard ConfigMap (default false).")
    @Default(ApiDefaults.FALSE)
    public Boolean enabled;

    @JsonPropertyDescription("Labels of the dashboard ConfigMap that the Grafana sidecar looks for; default grafana_dashboard: \"1\".")
    public Map<String, String> labels;

    @JsonPropertyDescription("Grafana folder (the grafana_folder annotation, for a sidecar with folderAnnotation: grafana_folder).")
    public String folder;
  }
}
