package dev.turbocache.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** The monitoring children as the operator last rendered them. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MonitoringStatus {
  @JsonPropertyDescription("Name of the ServiceMonitor, when there is one.")
  public String serviceMonitor;

  @JsonPropertyDescription("Name of the PrometheusRule, when there is one.")
  public String prometheusRule;

  @JsonPropertyDescription("Name of the Grafana dashboard ConfigMap, when there is one.")
  public String dashboard;

  @JsonPropertyDescription("CRDs that spec.monitoring needs and the cluster lacks (install prometheus-operator).")
  public List<String> missingCrds;
}
