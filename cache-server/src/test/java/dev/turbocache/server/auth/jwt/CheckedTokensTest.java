package dev.turbocache.server.auth.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.turbocache.server.auth.TokenDigest;
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

class CheckedTokensTest {
  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  @TempDir Path dir;

  @Test
  void aRememberedTokenIsRefusedAsExpiredOncePastItsExpAndTheClockSkew() throws Exception {
    try (TrustedIssuer issuer = issuer(Duration.ofSeconds(10))) {
      JwtVerdict.Verified verdict = new JwtVerdict.Verified(issuer, new JWTClaimsSet.Builder()
          .subject("s").expirationTime(Date.from(NOW.plusSeconds(30))).build());
      ByteBuffer key = CheckedTokens.key(TokenDigest.of("header.payload.signature"));
      assertThat(key).isEqualTo(CheckedTokens.key(TokenDigest.of("header.payload.signature")));

      CheckedTokens before = at(NOW);
      before.put(key, verdict);
      assertThat(before.get(key)).contains(verdict);
      assertThat(before.get(CheckedTokens.key(TokenDigest.of("other.token.x")))).isEmpty();

      CheckedTokens withinSkew = at(NOW.plusSeconds(40));
      withinSkew.put(key, verdict);
      assertThat(withinSkew.get(key)).as("past its exp, within the skew").contains(verdict);

      CheckedTokens after = at(NOW.plusSeconds(41));
      after.put(key, verdict);
      JwtVerdict.Rejected expired = new JwtVerdict.Rejected(JwtFailure.EXPIRED, "Expired JWT", issuer.issuer());
      assertThat(after.get(key)).as("past its exp and the skew").contains(expired);
      assertThat(after.get(key)).as("asked again").contains(expired);
    }
  }

  @Test
  void onlyRefusalsThatLastAreRemembered() {
    CheckedTokens checked = at(NOW);
    JwtVerdict.Rejected badSignature = new JwtVerdict.Rejected(JwtFailure.INVALID_SIGNATURE, "bad", "https://i");
    checked.put(CheckedTokens.key(TokenDigest.of("a.b.c")), badSignature);
    assertThat(checked.get(CheckedTokens.key(TokenDigest.of("a.b.c")))).contains(badSignature);

    for (JwtFailure passing : List.of(JwtFailure.UNKNOWN_KEY, JwtFailure.NOT_YET_VALID, JwtFailure.REVOKED,
        JwtFailure.KEYS_UNAVAILABLE)) {
      ByteBuffer key = CheckedTokens.key(TokenDigest.of(passing.code() + ".b.c"));
      checked.put(key, new JwtVerdict.Rejected(passing, "may change", "https://i"));
      assertThat(checked.get(key)).as("%s", passing).isEmpty();
    }
    checked.put(CheckedTokens.key(TokenDigest.of("p.b.c")), new JwtVerdict.Pending());
    assertThat(checked.get(CheckedTokens.key(TokenDigest.of("p.b.c")))).isEmpty();
  }

  private TrustedIssuer issuer(Duration clockSkew) throws Exception {
    Path jwks = Files.writeString(dir.resolve("jwks.json"), "{\"keys\":[]}");
    return new TrustedIssuer(new JwtIssuer("https://i.example", List.of("a"), null, jwks, null, clockSkew, null,
        null, null, null, List.of(new JwtRule(Map.of(), List.of("t"), "read"))), "test", Clock.systemUTC());
  }

  private static CheckedTokens at(Instant now) {
    return new CheckedTokens(Clock.fixed(now, ZoneOffset.UTC));
  }
}
