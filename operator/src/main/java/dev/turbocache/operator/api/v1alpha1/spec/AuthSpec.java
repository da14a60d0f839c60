package dev.turbocache.operator.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.turbocache.operator.api.v1alpha1.ApiDefaults;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class AuthSpec {
  @JsonPropertyDescription("Secret (same namespace) holding the tokens file.")
  @Required
  public SecretKeyRef tokensSecretRef;

  @JsonPropertyDescription("Allow reads without a token.")
  @Default(ApiDefaults.ANONYMOUS_READ)
  public Boolean anonymousRead;

  @JsonPropertyDescription("JWT bearer tokens (OIDC identity tokens of CI jobs) accepted next to the tokens file: the trusted issuers and their claims-to-access rules.")
  public JwtAuthSpec jwt;
}
