package dev.turbocache.server.auth.jwt;

import com.nimbusds.jwt.JWTClaimsSet;
import java.util.List;
import java.util.Optional;

/**
 * One entry of a rule's {@code match}: the claim must be present and one of its values (a claim
 * that is a list, such as {@code aud} or {@code groups}, has several) must match one of the patterns.
 */
record ClaimMatch(String claim, List<ClaimPattern> patterns) {

  static ClaimMatch of(String claim, Object configured) {
    List<?> values = configured instanceof List<?> list ? list : List.of(configured);
    return new ClaimMatch(claim, values.stream().map(ClaimPattern::of).toList());
  }

  boolean matches(JWTClaimsSet claims) {
    Object value = claims.getClaim(claim);
    List<?> values = value instanceof List<?> list ? list : value == null ? List.of() : List.of(value);
    return values.stream().map(ClaimMatch::text).flatMap(Optional::stream)
        .anyMatch(v -> patterns.stream().anyMatch(p -> p.matches(v)));
  }

  /** The text of a scalar claim value; objects and nested lists match nothing. */
  static Optional<String> text(Object value) {
    return value instanceof String || value instanceof Number || value instanceof Boolean
        ? Optional.of(String.valueOf(value))
        : Optional.empty();
  }
}
