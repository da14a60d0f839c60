package dev.turbocache.server.auth.jwt;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.turbocache.server.config.JwtRule;
import java.util.ArrayList;
import java.util.List;

/** An issuer's rules in order: the first one whose claims match decides, no match is a refusal. */
final class AccessRules {
  private final List<AccessRule> rules;

  private AccessRules(List<AccessRule> rules) {
    this.rules = rules;
  }

  static AccessRules of(List<JwtRule> configured, String setting) {
    List<AccessRule> rules = new ArrayList<>();
    for (int i = 0; i < configured.size(); i++) {
      rules.add(AccessRule.of(i, configured.get(i), setting + ".rules[" + i + "]"));
    }
    return new AccessRules(List.copyOf(rules));
  }

  AccessRule.Grant evaluate(JWTClaimsSet claims) {
    for (AccessRule rule : rules) {
      if (rule.matches(claims)) {
        return rule.grant(claims);
      }
    }
    return new AccessRule.Grant.Refused("no access rule of its issuer matches this token's claims");
  }
}
