package dev.turbocache.operator.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.turbocache.operator.api.v1alpha1.ApiDefaults;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Map;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.enabled) || !self.enabled || has(self.host)",
    message = "server.ingress.host is required when server.ingress.enabled is true")
public class IngressSpec {
  @JsonPropertyDescription("Create an Ingress to the clients' Service (default false).")
  @Default(ApiDefaults.FALSE)
  public Boolean enabled;

  @JsonPropertyDescription("IngressClass of the Ingress; the cluster's default when absent.")
  public String className;

  @JsonPropertyDescription("Host the Ingress serves; required when enabled. It becomes the server's public URL.")
  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  public String host;

  @JsonPropertyDescription("Path prefix the Ingress routes to the cache (default /).")
  @Default(ApiDefaults.INGRESS_PATH)
  @Pattern("^/.*$")
  public String path;

  @JsonPropertyDescription("Serve the host over HTTPS with the certificate of a Secret.")
  public Tls tls;

  @JsonPropertyDescription("Annotations of the Ingress, over the operator's nginx.ingress.kubernetes.io/proxy-body-size: \"0\" and proxy-request-buffering: \"off\", which make ingress-nginx pass uploads of any size (the server applies its own limit) as they arrive, instead of refusing those over 1m.")
  public Map<String, String> annotations;

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Tls {
    @JsonPropertyDescription("Secret of type kubernetes.io/tls, in the namespace of the TurboCache, with the certificate for host.")
    @Required
    public String secretName;
  }
}
