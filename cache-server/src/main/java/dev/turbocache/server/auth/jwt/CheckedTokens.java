package dev.turbocache.server.auth.jwt;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.turbocache.server.auth.TokenDigest;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Verdicts on tokens checked in the last minute, by the token's SHA-256 (never the token itself):
 * turbo sends one token with every request of a run, and checking a signature costs more than
 * serving a memory hit (an ES256 check about 0.7 ms). Refusals are remembered too when the same
 * token would be refused again for the same reason ({@link JwtFailure#lasting()}): a CI job whose
 * token expired mid-run keeps sending it, since turbo goes on after a 401. Refused tokens are kept
 * apart from good ones, so a flood of bad tokens cannot push good ones out. Revocation is checked
 * on every request by the caller.
 */
final class CheckedTokens {
  /** How long a check is reused; bounds how long a token signed with a rotated-out key keeps working. */
  static final Duration REUSE = Duration.ofSeconds(60);
  /** Nimbus's text for an expired token, so a remembered token that expires is refused in the same words. */
  static final String EXPIRED = "Expired JWT";
  private static final int MAX_TOKENS = 10_000;

  private final Cache<ByteBuffer, JwtVerdict.Verified> verified = cache();
  private final Cache<ByteBuffer, JwtVerdict.Rejected> refused = cache();
  private final Clock clock;

  CheckedTokens(Clock clock) {
    this.clock = clock;
  }

  private static <V> Cache<ByteBuffer, V> cache() {
    return Caffeine.newBuilder().maximumSize(MAX_TOKENS).expireAfterWrite(REUSE).build();
  }

  /** @param digest the token's SHA-256 ({@link TokenDigest#of}) */
  static ByteBuffer key(byte[] digest) {
    return ByteBuffer.wrap(digest);
  }

  /**
   * The earlier verdict: a refusal that lasts, or a verified token, which is refused as expired
   * once past its {@code exp} and the issuer's clock skew, as checking it again would.
   */
  Optional<JwtVerdict> get(ByteBuffer key) {
    JwtVerdict.Verified v = verified.getIfPresent(key);
    if (v == null) {
      return Optional.ofNullable(refused.getIfPresent(key));
    }
    if (!clock.instant().isAfter(v.usableUntil())) {
      return Optional.of(v);
    }
    JwtVerdict.Rejected expired = new JwtVerdict.Rejected(JwtFailure.EXPIRED, EXPIRED, v.issuer().issuer());
    verified.invalidate(key);
    refused.put(key, expired);
    return Optional.of(expired);
  }

  /** Keeps a verified token, or a refusal that lasts; forgets nothing else. */
  void put(ByteBuffer key, JwtVerdict verdict) {
    switch (verdict) {
      case JwtVerdict.Verified v -> verified.put(key, v);
      case JwtVerdict.Rejected r when r.failure().lasting() -> refused.put(key, r);
      default -> { }
    }
  }
}
