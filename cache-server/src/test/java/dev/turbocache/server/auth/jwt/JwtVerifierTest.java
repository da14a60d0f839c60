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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JwtVerifierTest {
  @TempDir Path dir;
  TestOidcIssuer oidc;
  RevocationList revocations;
  TrustedIssuer issuer;
  JwtVerifier verifier;

  @BeforeEach
  void start() throws Exception {
    oidc = TestOidcIssuer.start();
    revocations = new RevocationList(new RevokedTokensFile(dir.resolve("revoked.json"), Clock.systemUTC()),
        Duration.ofSeconds(1), Clock.systemUTC());
    issuer = new TrustedIssuer(new JwtIssuer(oidc.issuer(), List.of(TestOidcIssuer.AUDIENCE), null,
        Files.writeString(dir.resolve("jwks.json"), oidc.jwksJson()), null, null, null, null, null, null,
        List.of(new JwtRule(Map.of(), List.of("acme"), "read"))), "test", Clock.systemUTC());
    verifier = new JwtVerifier(Map.of(oidc.issuer(), issuer), 8192, revocations, Clock.systemUTC());
  }

  @AfterEach
  void stop() throws Exception {
    issuer.close();
    revocations.close();
    oidc.close();
  }

  @Test
  void aTokenIsDecidedWithoutWaitingOnlyOnceItsSignatureWasChecked() {
    String token = oidc.sign(oidc.claims("job").build());

    assertThat(verifier.verify(token, false)).as("never checked").isInstanceOf(JwtVerdict.Pending.class);
    assertThat(verifier.verify(token, true)).isInstanceOf(JwtVerdict.Verified.class);
    assertThat(verifier.verify(token, false)).as("checked a moment ago").isInstanceOf(JwtVerdict.Verified.class);
    assertThat(verifier.verify(oidc.sign(oidc.claims("other job").build()), false))
        .isInstanceOf(JwtVerdict.Pending.class);
    assertThat(verifier.verify("a." + "b".repeat(9000) + ".c", false)).as("refused for its size")
        .isInstanceOfSatisfying(JwtVerdict.Rejected.class, r -> assertThat(r.failure()).isEqualTo(JwtFailure.TOO_LARGE));
  }

  @Test
  void aRefusalThatLastsIsDecidedWithoutWaitingOnceChecked() {
    String[] good = oidc.sign(oidc.claims("job").build()).split("\\.");
    String forged = good[0] + "." + oidc.sign(oidc.claims("admin").build()).split("\\.")[1] + "." + good[2];
    String unknownKid = oidc.signWithKid("next-key", oidc.claims("job").build());

    assertThat(verifier.verify(forged, false)).as("never checked").isInstanceOf(JwtVerdict.Pending.class);
    JwtVerdict refused = verifier.verify(forged, true);
    assertThat(refused).isInstanceOfSatisfying(JwtVerdict.Rejected.class,
        r -> assertThat(r.failure()).isEqualTo(JwtFailure.INVALID_SIGNATURE));
    assertThat(verifier.verify(forged, false)).as("refused a moment ago").isEqualTo(refused);

    assertThat(verifier.verify(unknownKid, true)).isInstanceOfSatisfying(JwtVerdict.Rejected.class,
        r -> assertThat(r.failure()).isEqualTo(JwtFailure.UNKNOWN_KEY));
    assertThat(verifier.verify(unknownKid, false)).as("its key may be published any moment")
        .isInstanceOf(JwtVerdict.Pending.class);
  }
}
