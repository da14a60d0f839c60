package dev.turbocache.server.config;

import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The checks of {@code auth.jwt}: every issuer and rule says what it must, nothing unsafe. */
final class JwtConfigValidator {
  /**
   * Asymmetric signatures only: {@code none} signs nothing, and an HMAC "public key" is a shared
   * secret anyone who fetched the JWKS would hold.
   */
  static final Set<String> ALGORITHMS = Set.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
      "ES256", "ES384", "ES512", "EdDSA", "Ed25519");
  static final Set<String> ACCESS = Set.of("read", "readwrite", "admin");

  private JwtConfigValidator() {}

  static void validate(TurboCacheConfig.Jwt jwt) {
    require(jwt.maxTokenSize().bytes() >= 512, "auth.jwt.maxTokenSize must be at least 512 bytes");
    require(positive(jwt.revocationRefreshInterval()), "auth.jwt.revocationRefreshInterval must be positive");
    for (String id : jwt.revokedIds()) {
      require(!id.isBlank() && id.length() <= TurboCacheConfig.Jwt.MAX_TOKEN_ID_LENGTH,
          "auth.jwt.revokedIds: each must be a token id (jti) of 1-" + TurboCacheConfig.Jwt.MAX_TOKEN_ID_LENGTH
              + " characters");
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < jwt.issuers().size(); i++) {
      JwtIssuer issuer = jwt.issuers().get(i);
      String at = "auth.jwt.issuers[" + i + "]";
      require(issuer != null, at + " is empty");
      validate(issuer, at);
      require(seen.add(issuer.issuer()), at + ": issuer '" + issuer.issuer() + "' is listed twice");
    }
  }

  private static void validate(JwtIssuer issuer, String at) {
    require(issuer.issuer() != null && !issuer.issuer().isBlank(), at + ".issuer must be set");
    requireHttpUrl(issuer.issuer(), at + ".issuer");
    require(!issuer.audiences().isEmpty() && issuer.audiences().stream().noneMatch(a -> a == null || a.isBlank()),
        at + ".audiences must name at least one audience (the token's aud must contain one), "
            + "so that tokens an issuer made for other services are refused");
    require(issuer.jwksUri() == null || issuer.jwksFile() == null,
        at + ": set jwksUri or jwksFile, not both");
    if (issuer.jwksUri() != null) {
      requireHttpUrl(issuer.jwksUri(), at + ".jwksUri");
    }
    for (String alg : issuer.algorithms()) {
      require(ALGORITHMS.contains(alg), at + ".algorithms: '" + alg + "' is not allowed; use "
          + "asymmetric ones (" + String.join(", ", ALGORITHMS.stream().sorted().toList()) + ")");
    }
    require(!issuer.clockSkew().isNegative(), at + ".clockSkew must not be negative");
    for (Map.Entry<String, Duration> d : Map.of("maxTokenLifetime", issuer.maxTokenLifetime(),
        "keysCacheTtl", issuer.keysCacheTtl(), "keysRefreshMinInterval", issuer.keysRefreshMinInterval(),
        "httpTimeout", issuer.httpTimeout()).entrySet()) {
      require(positive(d.getValue()), at + "." + d.getKey() + " must be positive");
    }
    require(issuer.keysRefreshMinInterval().compareTo(issuer.keysCacheTtl()) < 0,
        at + ".keysRefreshMinInterval must be shorter than keysCacheTtl");
    require(!issuer.rules().isEmpty(), at + ".rules must hold at least one rule: "
        + "without one every token of this issuer would be refused");
    for (int r = 0; r < issuer.rules().size(); r++) {
      validate(issuer.rules().get(r), at + ".rules[" + r + "]");
    }
  }

  private static void validate(JwtRule rule, String at) {
    require(rule != null, at + " is empty");
    require(rule.access() != null && ACCESS.contains(rule.access()),
        at + ".access must be one of read, readwrite, admin");
    require(!rule.teams().isEmpty() && rule.teams().stream().noneMatch(t -> t == null || t.isBlank()),
        at + ".teams must name at least one team");
    for (Map.Entry<String, Object> m : rule.match().entrySet()) {
      require(isPattern(m.getValue()) || m.getValue() instanceof List<?> list && !list.isEmpty()
              && list.stream().allMatch(JwtConfigValidator::isPattern),
          at + ".match." + m.getKey() + " must be a string, a number, true/false or a list of them");
    }
  }

  private static boolean isPattern(Object value) {
    return value instanceof String || value instanceof Number || value instanceof Boolean;
  }

  private static void requireHttpUrl(String value, String setting) {
    try {
      URI uri = URI.create(value);
      require(("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null,
          setting + " must be an http(s) URL");
    } catch (IllegalArgumentException e) {
      throw new ConfigException(setting + " must be an http(s) URL");
    }
  }

  private static boolean positive(Duration d) {
    return d != null && !d.isNegative() && !d.isZero();
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new ConfigException(message);
    }
  }
}
