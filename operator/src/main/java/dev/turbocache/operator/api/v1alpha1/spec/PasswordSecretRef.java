package dev.turbocache.operator.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.turbocache.operator.api.v1alpha1.ApiDefaults;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** A key of a Secret (same namespace) holding a password; reaches the server only as an environment variable. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PasswordSecretRef {
  @JsonPropertyDescription("Name of the Secret, in the namespace of the TurboCache.")
  @Required
  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  public String name;

  @JsonPropertyDescription("Key of the Secret holding the password.")
  @Default(ApiDefaults.PASSWORD_KEY)
  public String key;
}
