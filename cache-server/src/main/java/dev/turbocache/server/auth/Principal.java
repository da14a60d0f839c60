package dev.turbocache.server.auth;

import java.util.Objects;
import java.util.Set;

/**
 * Who is making a request, once the token has been checked. Carries no secret, so it is safe to
 * log and to put in request context.
 *
 * @param name the token's name from the tokens file, the subject ({@code sub}) of a JWT, or
 *     {@code "anonymous"}
 * @param teams teams this caller may use; {@code "*"} means any team
 * @param access what this caller may do
 * @param issuer the issuer of a JWT; null for static tokens and anonymous callers
 */
public record Principal(String name, Set<String> teams, AccessLevel access, String issuer) {
  /** Team wildcard in the tokens file. */
  public static final String ANY_TEAM = "*";

  /**
   * Requests without a token when {@code auth.anonymousRead} is on. Reading any team is the whole
   * point of that setting; writing is never granted without a token.
   */
  public static final Principal ANONYMOUS =
      new Principal("anonymous", Set.of(ANY_TEAM), AccessLevel.READ);

  public Principal {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(access, "access");
    teams = Set.copyOf(teams);
  }

  /** A static token's (or the anonymous) principal. */
  public Principal(String name, Set<String> teams, AccessLevel access) {
    this(name, teams, access, null);
  }

  public boolean mayUse(String team) {
    return team != null && (teams.contains(ANY_TEAM) || teams.contains(team));
  }

  public boolean allows(AccessLevel required) {
    return access.allows(required);
  }

  public boolean isAnonymous() {
    return this.equals(ANONYMOUS);
  }

  /** For messages and logs: {@code token 'ci'}, or {@code token of 'repo:acme/app:…' from <issuer>}. */
  public String describe() {
    return issuer == null ? "token '" + name + "'" : "token of '" + name + "' from " + issuer;
  }
}
