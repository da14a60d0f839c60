package dev.turbocache.operator.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import java.util.List;
import java.util.Map;

/** The subset of a pod template users may override; merged over what the operator generates. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PodTemplateOverrides {
  @JsonPropertyDescription("Extra labels and annotations of the cache-server pods.")
  public Metadata metadata;
  @JsonPropertyDescription("Scheduling of the cache-server pods.")
  public Spec spec;

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Metadata {
    @JsonPropertyDescription("Extra pod labels; the operator's app.kubernetes.io labels win on conflict.")
    public Map<String, String> labels;

    @JsonPropertyDescription("Extra pod annotations; the operator's checksum annotation wins on conflict.")
    public Map<String, String> annotations;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Spec {
    @JsonPropertyDescription("Labels a node must have to run a cache-server pod.")
    public Map<String, String> nodeSelector;
    @JsonPropertyDescription("Taints the cache-server pods tolerate.")
    public List<Toleration> tolerations;
    @JsonPropertyDescription("Affinity of the cache-server pods; replaces the operator's default, which spreads them over nodes.")
    public Affinity affinity;
    @JsonPropertyDescription("How the cache-server pods spread over zones or nodes.")
    public List<TopologySpreadConstraint> topologySpreadConstraints;
    @JsonPropertyDescription("PriorityClass of the cache-server pods.")
    public String priorityClassName;
  }
}
