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
}
