package dev.turbocache.operator.server;

import dev.turbocache.operator.api.v1alpha1.spec.JwtIssuerSpec;
import dev.turbocache.operator.api.v1alpha1.spec.JwtRuleSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code auth.jwt} of the server's config from {@code spec.auth.jwt}: the issuers as written, each
 * optional field only when set (the server has the defaults).
 */
final class JwtSection {
  private JwtSection() {}

  /**
   * The section, or null without issuers (revoked ids are then moot: no JWT is accepted). The
   * revoked ids are not in it but in their own file ({@link RevokedTokenIdsFile}), which the server reads
   * again when the kubelet updates it: a revocation must not need a roll.
   */
  static Map<String, Object> of(List<JwtIssuerSpec> issuers) {
    if (issuers.isEmpty()) {
      return null;
    }
    Map<String, Object> jwt = new LinkedHashMap<>();
    jwt.put("issuers", issuers.stream().map(JwtSection::issuer).toList());
    jwt.put("revokedIdsFile", ServerConfig.REVOKED_IDS_FILE);
    return jwt;
  }

  private static Map<String, Object> issuer(JwtIssuerSpec spec) {
    Map<String, Object> issuer = new LinkedHashMap<>();
    issuer.put("issuer", spec.issuer);
    issuer.put("audiences", spec.audiences);
    putIfSet(issuer, "jwksUri", spec.jwksUri);
    putIfSet(issuer, "algorithms", spec.algorithms);
    putIfSet(issuer, "clockSkew", spec.clockSkew);
    putIfSet(issuer, "maxTokenLifetime", spec.maxTokenLifetime);
    putIfSet(issuer, "keysCacheTtl", spec.keysCacheTtl);
    putIfSet(issuer, "keysRefreshMinInterval", spec.keysRefreshMinInterval);
    putIfSet(issuer, "httpTimeout", spec.httpTimeout);
    issuer.put("rules", spec.rules.stream().map(JwtSection::rule).toList());
    return issuer;
  }

  private static Map<String, Object> rule(JwtRuleSpec spec) {
    Map<String, Object> rule = new LinkedHashMap<>();
    rule.put("match", spec.match == null ? Map.of() : new TreeMap<>(spec.match));
    rule.put("teams", spec.teams);
    rule.put("access", spec.access);
    return rule;
  }

  private static void putIfSet(Map<String, Object> target, String key, Object value) {
    if (value != null && !(value instanceof List<?> list && list.isEmpty())) {
      target.put(key, value);
    }
  }
}
