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
  public Metadata metadata;
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
    public Map<String, String> nodeSelector;
    public List<Toleration> tolerations;
    public Affinity affinity;
    public List<TopologySpreadConstraint> topologySpreadConstraints;
    public String priorityClassName;
  }
}
