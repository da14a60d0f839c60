package dev.turbocache.server.auth;

import java.util.Objects;
import java.util.Optional;

/**
 * Decides whether a request may proceed, from its {@code Authorization} header, the team it
 * addresses and the access the route needs. Messages go back to the client, so they name the token
 * and the team but never contain the presented credentials.
 */
public final class Authenticator {
  private static final String BEARER = "Bearer";

  private final TokenRegistry registry;
  private final boolean anonymousRead;
  private final TokenVerifier others;

  /**
   * @param registry the accepted tokens
   * @param anonymousRead let requests without an Authorization header read any team
   */
  public Authenticator(TokenRegistry registry, boolean anonymousRead) {
    this(registry, anonymousRead, TokenVerifier.NONE);
  }

  /** @param others what tokens that are not in the registry may be (JWTs) */
  public Authenticator(TokenRegistry registry, boolean anonymousRead, TokenVerifier others) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.anonymousRead = anonymousRead;
    this.others = Objects.requireNonNull(others, "others");
  }

  /**
   * @param authorizationHeader the raw header value, or null when absent
   * @param team the team the request addresses, or null for routes without one (the team check is
   *     then skipped)
   * @param required the access the route needs
   */
  public AuthResult check(String authorizationHeader, String team, AccessLevel required) {
    return check(authorizationHeader, team, required, true);
  }

  /**
   * As {@link #check(String, String, AccessLevel)}; with {@code mayWait} false, a token whose
   * check takes time is {@link AuthResult.Pending} ({@link TokenVerifier#verify}).
   */
  public AuthResult check(String authorizationHeader, String team, AccessLevel required, boolean mayWait) {
    Objects.requireNonNull(required, "required");
    if (authorizationHeader == null || authorizationHeader.isBlank()) {
      if (anonymousRead && required == AccessLevel.READ) {
        return new AuthResult.Allowed(Principal.ANONYMOUS);
      }
      return new AuthResult.Unauthenticated(
          AuthResult.UNAUTHORIZED, "missing token: send 'Authorization: Bearer <token>'");
    }
    // A header that is present but wrong is refused even with anonymousRead: the client meant to
    // authenticate, and silently downgrading it to read-only would hide the misconfiguration.
    Optional<String> token = bearerToken(authorizationHeader);
    if (token.isEmpty()) {
      return new AuthResult.Unauthenticated(
          AuthResult.UNAUTHORIZED, "expected 'Authorization: Bearer <token>'");
    }
    AuthResult identified = principalOf(token.get(), mayWait);
    if (!(identified instanceof AuthResult.Allowed allowed)) {
      return identified;
    }
    Principal p = allowed.principal();
    // Team before access: the tenant boundary is the more fundamental refusal to report.
    if (team != null && !p.mayUse(team)) {
      return new AuthResult.Forbidden(
          AuthResult.FORBIDDEN, p.describe() + " may not use team '" + team + "'", p);
    }
    if (!p.allows(required)) {
      return new AuthResult.Forbidden(AuthResult.FORBIDDEN, accessMessage(p, required), p);
    }
    return new AuthResult.Allowed(p);
  }

  /**
   * Who is calling, for routes without a team ({@code /v2/user}, {@code /v2/teams}): the same rules
   * as {@code check(header, null, READ)}, so with anonymousRead a request without a header is
   * {@link Principal#ANONYMOUS}. Empty means the caller should get a 401.
   */
  public Optional<Principal> identify(String authorizationHeader) {
    return check(authorizationHeader, null, AccessLevel.READ) instanceof AuthResult.Allowed allowed
        ? Optional.of(allowed.principal())
        : Optional.empty();
  }

  /** The tokens file first (a static token never reaches a JWT parser), then the other kinds. */
  private AuthResult principalOf(String token, boolean mayWait) {
    byte[] digest = TokenDigest.of(token);
    Optional<Principal> principal = registry.authenticateDigest(digest);
    if (principal.isPresent()) {
      return new AuthResult.Allowed(principal.get());
    }
    return others.verify(token, digest, mayWait)
        .orElseGet(() -> new AuthResult.Unauthenticated(AuthResult.UNAUTHORIZED, "invalid token"));
  }

  private static String accessMessage(Principal p, AccessLevel required) {
    if (p.access() == AccessLevel.READ && required == AccessLevel.READWRITE) {
      return p.describe() + " is read-only: uploads are refused";
    }
    return p.describe() + " has " + p.access().configName() + " access; this needs "
        + required.configName();
  }

  /** RFC 6750 / RFC 9110: the scheme is case-insensitive, separated from the token by spaces. */
  static Optional<String> bearerToken(String header) {
    // Indices rather than strip() and substring(): one string per request, the token itself.
    int start = 0;
    int end = header.length();
    while (start < end && Character.isWhitespace(header.charAt(start))) {
      start++;
    }
    while (end > start && Character.isWhitespace(header.charAt(end - 1))) {
      end--;
    }
    int scheme = start + BEARER.length();
    if (end <= scheme
        || !header.regionMatches(true, start, BEARER, 0, BEARER.length())
        || (header.charAt(scheme) != ' ' && header.charAt(scheme) != '\t')) {
      return Optional.empty();
    }
    int token = scheme;
    while (token < end && Character.isWhitespace(header.charAt(token))) {
      token++;
    }
    return token == end ? Optional.empty() : Optional.of(header.substring(token, end));
  }
}
