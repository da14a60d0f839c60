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
  TokenVerifier NONE = (token, digest, mayWait) -> Optional.empty();

  /**
   * {@link AuthResult.Allowed} with the token's principal, or the refusal; empty when the token is
   * not of this kind at all (it is then just an unknown token).
   *
   * @param digest the token's SHA-256 ({@link TokenDigest#of}), which the tokens file was asked
   *     with: computed once per request
   * @param mayWait whether the check may take time: a signature (about 0.7 ms for ES256) and
   *     perhaps a fetch of the issuer's keys (up to twice its {@code httpTimeout}). When false, a
   *     token that needs that is {@link AuthResult.Pending}, for the caller to check again where
   *     waiting holds no one else (off the I/O thread).
   */
  Optional<AuthResult> verify(String token, byte[] digest, boolean mayWait);
}
