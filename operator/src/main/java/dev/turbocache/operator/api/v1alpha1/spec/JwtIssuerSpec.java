package dev.turbocache.operator.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.algorithms) || self.algorithms.all(a, a in ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'])",
    message = "auth.jwt.issuers[].algorithms: only asymmetric algorithms (RS*, PS*, ES*, EdDSA); never none or HMAC")
public class JwtIssuerSpec {
  static final String DURATION = "^[0-9]+(ms|s|m|h|d)$";

  @JsonPropertyDescription("What the tokens' iss claim must be, exactly (e.g. https://token.actions.githubusercontent.com).")
  @Required
  @Pattern("^https?://\\S+$")
  // Bounded so that the API server's cost estimate of the uniqueness rule stays within budget.
  @Size(max = 512)
  public String issuer;

  @JsonPropertyDescription("The token's aud must contain one of these.")
  @Required
  @Size(min = 1, max = 16)
  public List<String> audiences;

  @JsonPropertyDescription("The JWKS URL; empty means OIDC discovery (<issuer>/.well-known/openid-configuration).")
  @Pattern("^https?://\\S+$")
  public String jwksUri;

  @JsonPropertyDescription("Accepted signature algorithms; default RS256 and ES256.")
  @Size(max = 11)
  public List<String> algorithms;

  @JsonPropertyDescription("Tolerance of the exp, nbf and iat checks (e.g. 60s, the default).")
  @Pattern(DURATION)
  public String clockSkew;

  @JsonPropertyDescription("Longest accepted exp - iat (e.g. 24h, the default).")
  @Pattern(DURATION)
  public String maxTokenLifetime;

  @JsonPropertyDescription("How long fetched keys are used before they are fetched again (default 5m).")
  @Pattern(DURATION)
  public String keysCacheTtl;

  @JsonPropertyDescription("Shortest time between fetches caused by an unknown kid (default 30s).")
  @Pattern(DURATION)
  public String keysRefreshMinInterval;

  @JsonPropertyDescription("Connect and read timeout of each fetch of discovery and keys (default 2s).")
  @Pattern(DURATION)
  public String httpTimeout;

  @JsonPropertyDescription("Claims to access, in order: the first rule whose claims match decides; a token no rule matches gets 403.")
  @Required
  @Size(min = 1, max = 64)
  public List<JwtRuleSpec> rules;
}
