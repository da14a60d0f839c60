package dev.turbocache.operator.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
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
  @Default(ApiDefaults.FALSE)
  public Boolean enabled;

  public String className;

  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  public String host;

  @Default(ApiDefaults.INGRESS_PATH)
  @Pattern("^/.*$")
  public String path;

  public Tls tls;

  public Map<String, String> annotations;

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Tls {
    @Required
    public String secretName;
  }
}
