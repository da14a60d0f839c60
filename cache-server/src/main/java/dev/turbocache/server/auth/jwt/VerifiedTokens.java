package dev.turbocache.server.auth.jwt;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.turbocache.server.auth.TokenDigest;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.Optional;

/**
 * Tokens whose signature and claims were checked in the last minute, by their SHA-256 (never the
 * token itself): turbo sends one token with every request of a run, and checking a signature costs
 * more than serving a memory hit (an ES256 check about 0.7 ms). A remembered token still has to be
 * unexpired; revocation is checked on every request by the caller.
 */
final class VerifiedTokens {
  /** How long a check is reused; bounds how long a token signed with a rotated-out key keeps working. */
  static final Duration REUSE = Duration.ofSeconds(60);
  private static final int MAX_TOKENS = 10_000;

  private final Cache<ByteBuffer, JwtVerdict.Verified> verified =
      Caffeine.newBuilder().maximumSize(MAX_TOKENS).expireAfterWrite(REUSE).build();
  private final Clock clock;

  VerifiedTokens(Clock clock) {
    this.clock = clock;
  }

  static ByteBuffer key(String token) {
    return ByteBuffer.wrap(TokenDigest.of(token));
  }

  /** The earlier verdict, if the token is still within its {@code exp}. */
  Optional<JwtVerdict.Verified> get(ByteBuffer key) {
    JwtVerdict.Verified v = verified.getIfPresent(key);
    if (v == null) {
      return Optional.empty();
    }
    Date exp = v.claims().getExpirationTime();
    if (exp == null || clock.instant().isAfter(exp.toInstant())) {
      verified.invalidate(key);
      return Optional.empty();
    }
    return Optional.of(v);
  }

  void put(ByteBuffer key, JwtVerdict.Verified verdict) {
    verified.put(key, verdict);
  }
}
