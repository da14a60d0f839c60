package dev.turbocache.operator.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.turbocache.operator.api.v1alpha1.ApiDefaults;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretKeyRef {
  @Required
  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  public String name;

  @Default(ApiDefaults.TOKENS_KEY)
  public String key;
}
