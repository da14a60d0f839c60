package dev.turbocache.operator.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.turbocache.operator.api.v1alpha1.ApiDefaults;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.IntOrString;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!(has(self.maxUnavailable) && has(self.minAvailable))",
    message = "podDisruptionBudget: set maxUnavailable or minAvailable, not both")
public class PodDisruptionBudgetSpec {
  @JsonPropertyDescription("Create a PodDisruptionBudget for the cache-server pods (default true).")
  @Default(ApiDefaults.PDB_ENABLED)
  public Boolean enabled;

  @JsonPropertyDescription("Defaults to 1 when neither maxUnavailable nor minAvailable is set.")
  public IntOrString maxUnavailable;

  @JsonPropertyDescription("Pods (a number or a percentage) that must stay up during a voluntary disruption such as a node drain; instead of maxUnavailable.")
  public IntOrString minAvailable;
}
