package dev.turbocache.operator.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.turbocache.operator.api.v1alpha1.ApiDefaults;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.minReplicas) || self.minReplicas <= self.maxReplicas",
    message = "server.autoscaling.minReplicas must be less than or equal to server.autoscaling.maxReplicas")
public class AutoscalingSpec {
  @JsonPropertyDescription("Fewest cache-server pods the HorizontalPodAutoscaler keeps (default 2).")
  @Default(ApiDefaults.MIN_REPLICAS)
  @Min(1)
  public Integer minReplicas;

  @JsonPropertyDescription("Most cache-server pods the HorizontalPodAutoscaler may run.")
  @Required
  @Min(1)
  public Integer maxReplicas;

  @JsonPropertyDescription("Average CPU utilization (percent of requests) the HPA aims for.")
  @Default(ApiDefaults.TARGET_CPU)
  @Min(1)
  @Max(100)
  public Integer targetCPUUtilizationPercentage;
}
