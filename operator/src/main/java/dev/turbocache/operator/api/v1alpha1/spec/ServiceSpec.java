package dev.turbocache.operator.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.turbocache.operator.api.v1alpha1.ApiDefaults;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import java.util.Map;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ServiceSpec {
  @JsonPropertyDescription("Type of the clients' Service <name>: ClusterIP (default), NodePort or LoadBalancer. The metrics Service <name>-metrics stays ClusterIP.")
  @Default(ApiDefaults.SERVICE_TYPE)
  public Type type;

  @JsonPropertyDescription("Port of the http port of the Service (the pods listen on 8080).")
  @Default(ApiDefaults.SERVICE_PORT)
  @Min(1)
  @Max(65535)
  public Integer port;

  @JsonPropertyDescription("Annotations of the clients' Service, such as a cloud load balancer's settings.")
  public Map<String, String> annotations;

  public enum Type { ClusterIP, NodePort, LoadBalancer }
}
