package dev.turbocache.operator.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.turbocache.operator.api.v1alpha1.ApiDefaults;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import java.util.Map;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class MonitoringSpec {
  public ServiceMonitor serviceMonitor;
  public PrometheusRule prometheusRule;
  public GrafanaDashboard grafanaDashboard;

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ServiceMonitor {
    @Default(ApiDefaults.FALSE)
    public Boolean enabled;

    @JsonPropertyDescription("Labels your Prometheus selects on, e.g. release: kube-prometheus-stack.")
    public Map<String, String> labels;

    @Default(ApiDefaults.SCRAPE_INTERVAL)
    @Pattern(ApiDefaults.DURATION_PATTERN)
    public String interval;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class PrometheusRule {
    @Default(ApiDefaults.FALSE)
    public Boolean enabled;

    public Map<String, String> labels;

    @Default(ApiDefaults.HIT_RATIO_BELOW)
    @Min(0)
    @Max(1)
    public Double hitRatioBelow;

    @Default(ApiDefaults.P95_LATENCY_ABOVE)
    @Min(0)
    public Double p95LatencyAboveSeconds;

    @Default(ApiDefaults.ERROR_RATIO_ABOVE)
    @Min(0)
    @Max(1)
    public Double errorRatioAbove;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class GrafanaDashboard {
    @Default(ApiDefaults.FALSE)
    public Boolean enabled;
  }
}
