package dev.turbocache.server.auth;

import java.util.Objects;
import java.util.Optional;

/**
 * The tokens currently accepted. Reloads replace the whole {@link TokenSet} at once; requests
 * read it without locking.
 */
public final class TokenRegistry {
  private volatile TokenSet tokens;

  public TokenRegistry(TokenSet initial) {
    this.tokens = Objects.requireNonNull(initial, "initial");
  }

  public TokenSet current() {
    return tokens;
  }

  public void replace(TokenSet next) {
    tokens = Objects.requireNonNull(next, "next");
  }

  /**
   * The principal for a presented bearer token, or empty when no entry matches.
   *
   * <p>The presented token is hashed first, so only digests are compared, and it is compared with
   * every entry in constant time without stopping at a match: how long this takes depends on the
   * number of tokens, not on which one (if any) matched or how many leading bytes agreed.
   */
  public Optional<Principal> authenticate(String presentedToken) {
    if (presentedToken == null || presentedToken.isEmpty()) {
      return Optional.empty();
    }
    return authenticateDigest(TokenDigest.of(presentedToken));
  }

  /** {@link #authenticate(String)} of the token whose SHA-256 is {@code presented}. */
  public Optional<Principal> authenticateDigest(byte[] presented) {
    TokenSet snapshot = tokens;
    TokenEntry match = null;
    for (TokenEntry entry : snapshot.entries()) {
      boolean equal = entry.matches(presented);
      // The parser rejects two entries with one secret, so at most one entry can match.
      if (equal) {
        match = entry;
      }
    }
    return Optional.ofNullable(match).map(TokenEntry::principal);
  }
}
