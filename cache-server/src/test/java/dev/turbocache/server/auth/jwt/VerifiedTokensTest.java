package dev.turbocache.server.auth.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.turbocache.server.config.JwtIssuer;
import dev.turbocache.server.config.JwtRule;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifiedTokensTest {
  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  @TempDir Path dir;

  @Test
  void aRememberedTokenIsForgottenOnceItExpires() throws Exception {
    Path jwks = Files.writeString(dir.resolve("jwks.json"), "{\"keys\":[]}");
    try (TrustedIssuer issuer = new TrustedIssuer(new JwtIssuer("https://i.example", List.of("a"), null, jwks,
        null, null, null, null, null, null, List.of(new JwtRule(Map.of(), List.of("t"), "read"))), "test",
        Clock.systemUTC())) {
      JwtVerdict.Verified verdict = new JwtVerdict.Verified(issuer, new JWTClaimsSet.Builder()
          .subject("s").expirationTime(Date.from(NOW.plusSeconds(30))).build());
      ByteBuffer key = VerifiedTokens.key("header.payload.signature");
      assertThat(key).isEqualTo(VerifiedTokens.key("header.payload.signature"));

      VerifiedTokens before = new VerifiedTokens(Clock.fixed(NOW, ZoneOffset.UTC));
      before.put(key, verdict);
      assertThat(before.get(key)).contains(verdict);
      assertThat(before.get(VerifiedTokens.key("other.token.x"))).isEmpty();

      VerifiedTokens after = new VerifiedTokens(Clock.fixed(NOW.plus(Duration.ofSeconds(31)), ZoneOffset.UTC));
      after.put(key, verdict);
      assertThat(after.get(key)).as("past its exp").isEmpty();
    }
  }
}
