package dev.turbocache.server.auth;

import java.util.Optional;

/**
 * Bearer tokens that are not in the tokens file (JWTs): who a token names, or why it names
 * nobody. The {@link Authenticator} asks it about every token the tokens file does not hold, and
 * checks the team and access of the principal it gives.
 */
@FunctionalInterface
public interface TokenVerifier {
  /** Accepts nothing: a server without JWT issuers. */
  TokenVerifier NONE = token -> Optional.empty();

  /**
   * {@link AuthResult.Allowed} with the token's principal, or the refusal; empty when the token is
   * not of this kind at all (it is then just an unknown token).
   */
  Optional<AuthResult> verify(String token);

  /**
   * Whether {@link #verify} answers for {@code token} at once, from memory. False when it would
   * check a signature (about 0.7 ms for ES256) and perhaps fetch the issuer's keys (up to twice
   * its {@code httpTimeout}): such a token is checked off the I/O thread, which would otherwise
   * hold every connection it serves meanwhile.
   */
  default boolean answersAtOnce(String token) {
    return true;
  }
}
