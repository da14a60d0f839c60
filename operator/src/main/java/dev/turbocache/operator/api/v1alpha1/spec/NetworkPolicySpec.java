package dev.turbocache.operator.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.turbocache.operator.api.v1alpha1.ApiDefaults;
import io.fabric8.generator.annotation.Default;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class NetworkPolicySpec {
  @JsonPropertyDescription("Create a NetworkPolicy allowing ingress to the cache only from the given peers.")
  @Default(ApiDefaults.FALSE)
  public Boolean enabled;

  @JsonPropertyDescription("Who may connect to the http port; empty allows every pod in this namespace.")
  public List<NetworkPolicyPeer> from;
}
