package dev.turbocache.operator.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Map;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.access in ['read', 'readwrite', 'admin']",
    message = "auth.jwt.issuers[].rules[].access must be read, readwrite or admin")
public class JwtRuleSpec {
  @JsonPropertyDescription("Claim name to the values it may have (exact, or globs with * and ?); every claim listed must match one of its values. Empty matches every token.")
  @Size(max = 32)
  public Map<String, List<String>> match;

  @JsonPropertyDescription("Teams granted: names, \"*\" for any team, or templates such as \"{repository_owner}\" filled from the token's claims.")
  @Required
  @Size(min = 1, max = 32)
  public List<String> teams;

  @JsonPropertyDescription("read, readwrite or admin.")
  @Required
  public String access;
}
