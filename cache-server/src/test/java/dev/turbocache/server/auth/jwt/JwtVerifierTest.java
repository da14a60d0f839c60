package dev.turbocache.server.auth.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turbocache.server.config.JwtIssuer;
import dev.turbocache.server.config.JwtRule;
import dev.turbocache.server.testing.TestOidcIssuer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JwtVerifierTest {
  @TempDir Path dir;

  @Test
  void aTokenIsDecidedWithoutWaitingOnlyOnceItsSignatureWasChecked() throws Exception {
    try (TestOidcIssuer oidc = TestOidcIssuer.start();
        RevocationList revocations = new RevocationList(
            new RevokedTokensFile(dir.resolve("revoked.json"), Clock.systemUTC()), Duration.ofSeconds(1),
            Clock.systemUTC());
        TrustedIssuer issuer = new TrustedIssuer(new JwtIssuer(oidc.issuer(), List.of(TestOidcIssuer.AUDIENCE),
            null, Files.writeString(dir.resolve("jwks.json"), oidc.jwksJson()), null, null, null, null, null,
            null, List.of(new JwtRule(Map.of(), List.of("acme"), "read"))), "test", Clock.systemUTC())) {
      JwtVerifier verifier = new JwtVerifier(Map.of(oidc.issuer(), issuer), 8192, revocations, Clock.systemUTC());
      String token = oidc.sign(oidc.claims("job").build());

      assertThat(verifier.verify(token, false)).as("never checked").isInstanceOf(JwtVerdict.Pending.class);
      assertThat(verifier.verify(token, true)).isInstanceOf(JwtVerdict.Verified.class);
      assertThat(verifier.verify(token, false)).as("checked a moment ago").isInstanceOf(JwtVerdict.Verified.class);
      assertThat(verifier.verify(oidc.sign(oidc.claims("other job").build()), false))
          .isInstanceOf(JwtVerdict.Pending.class);
      assertThat(verifier.verify("a." + "b".repeat(9000) + ".c", false)).as("refused for its size")
          .isInstanceOfSatisfying(JwtVerdict.Rejected.class, r -> assertThat(r.failure()).isEqualTo(JwtFailure.TOO_LARGE));
    }
  }
}
