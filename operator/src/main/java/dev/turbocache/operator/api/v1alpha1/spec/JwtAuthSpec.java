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
@ValidationRule(
    value = "!has(self.revokedTokenIds) || self.revokedTokenIds.all(id, size(id) >= 1 && size(id) <= 256)",
    message = "auth.jwt.revokedTokenIds: each must be a token id (jti) of 1-256 characters")
public class JwtAuthSpec {
  @JsonPropertyDescription("Trusted issuers; a token's iss claim picks one.")
  @Required
  @Size(min = 1, max = 16)
  public List<JwtIssuerSpec> issuers;

  @JsonPropertyDescription("Token ids (jti) every cache server refuses for as long as they are listed,"
      + " each 1-256 characters. A change reaches the running pods without a roll, once the kubelet has"
      + " updated their ConfigMap volume (about a minute) and within auth.reloadInterval after; the list"
      + " holds for new replicas and restarted pods, with or without Redis. POST /admin/tokens/revoke"
      + " acts at once instead, but without a redis tier only on the pod that answered.")
  @Size(max = 1000)
  public List<String> revokedTokenIds;
}
