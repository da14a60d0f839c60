package dev.turbocache.operator.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.issuers.all(i, self.issuers.exists_one(j, j.issuer == i.issuer))",
    message = "auth.jwt.issuers: each issuer may be listed once")
public class JwtAuthSpec {
  @JsonPropertyDescription("Trusted issuers; a token's iss claim picks one.")
  @Required
  @Size(min = 1, max = 16)
  public List<JwtIssuerSpec> issuers;
}
