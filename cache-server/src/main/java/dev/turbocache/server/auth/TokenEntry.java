package dev.turbocache.server.auth;

import java.security.MessageDigest;
import java.util.Objects;
import java.util.Set;

/**
 * One token from the tokens file. Only the digest of the secret is kept.
 *
 * @param name label shown in logs and metrics
 * @param digest SHA-256 of the token ({@link TokenDigest#LENGTH} bytes)
 * @param teams teams the token may use; {@code "*"} means any team
 * @param access what the token may do
 */
public record TokenEntry(String name, byte[] digest, Set<String> teams, AccessLevel access) {

  public TokenEntry {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(digest, "digest");
    Objects.requireNonNull(teams, "teams");
    Objects.requireNonNull(access, "access");
    if (digest.length != TokenDigest.LENGTH) {
      throw new IllegalArgumentException("digest must be " + TokenDigest.LENGTH + " bytes");
    }
    if (teams.isEmpty()) {
      throw new IllegalArgumentException("token '" + name + "' has no teams");
    }
    // Copies so that nobody holding the caller's array or set can change an installed token.
    digest = digest.clone();
    teams = Set.copyOf(teams);
  }

  /** A copy: the entry stays immutable whatever the caller does with the array. */
  @Override
  public byte[] digest() {
    return digest.clone();
  }

  /** Constant-time comparison with the digest of a presented token. */
  boolean matches(byte[] presentedDigest) {
    return MessageDigest.isEqual(digest, presentedDigest);
  }

  boolean sameTokenAs(TokenEntry other) {
    return MessageDigest.isEqual(digest, other.digest);
  }

  public Principal principal() {
    return new Principal(name, teams, access);
  }

  // The generated record methods would compare arrays by identity and print the digest.

  @Override
  public boolean equals(Object o) {
    return o instanceof TokenEntry other
        && name.equals(other.name)
        && MessageDigest.isEqual(digest, other.digest)
        && teams.equals(other.teams)
        && access == other.access;
  }

  @Override
  public int hashCode() {
    // The digest is left out: equal entries still hash alike, and nothing derived from the
    // secret ends up in hash tables.
    return Objects.hash(name, teams, access);
  }

  @Override
  public String toString() {
    return "TokenEntry[name=" + name + ", teams=" + teams + ", access=" + access.configName() + "]";
  }
}
