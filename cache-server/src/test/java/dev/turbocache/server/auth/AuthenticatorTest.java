package dev.turbocache.server.auth;

import static dev.turbocache.server.auth.AccessLevel.ADMIN;
import static dev.turbocache.server.auth.AccessLevel.READ;
import static dev.turbocache.server.auth.AccessLevel.READWRITE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turbocache.server.auth.AuthResult.Allowed;
import dev.turbocache.server.auth.AuthResult.Forbidden;
import dev.turbocache.server.auth.AuthResult.Unauthenticated;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AuthenticatorTest {
  private static final String CI = "ci-Token-1111111111";
  private static final String PR = "pr-Token-2222222222";
  private static final String OPS = "ops-Token-333333333";
  private static final String ANY = "any-Token-44444444";

  private final TokenRegistry registry =
      new TokenRegistry(
          TokensFile.parse(
              """
              tokens:
                - {name: ci, token: "%s", teams: [acme, web], access: readwrite}
                - {name: pr-builds, token: "%s", teams: [acme], access: read}
                - {name: ops, sha256: "%s", teams: [acme], access: admin}
                - {name: any, token: "%s", teams: ["*"], access: readwrite}
              """
                  .formatted(CI, PR, TokenDigest.hexOf(OPS), ANY),
              "test"));

  private final Authenticator auth = new Authenticator(registry, false);
  private final Authenticator anonymousAuth = new Authenticator(registry, true);

  @Test
  void missingHeaderIs401() {
    assertThat(auth.check(null, "acme", READ))
        .isInstanceOfSatisfying(
            Unauthenticated.class,
            r -> {
              assertThat(r.code()).isEqualTo("unauthorized");
              assertThat(r.httpStatus()).isEqualTo(401);
            });
    assertThat(auth.check("  ", "acme", READ)).isInstanceOf(Unauthenticated.class);
  }

  @Test
  void wrongSchemeIs401() {
    for (String header : new String[] {"Basic " + CI, CI, "Bearer", "Bearer   ", "Bearer" + CI}) {
      assertThat(auth.check(header, "acme", READ))
          .as(header)
          .isInstanceOfSatisfying(
              Unauthenticated.class,
              r -> {
                assertThat(r.code()).isEqualTo("unauthorized");
                assertThat(r.message()).doesNotContain(CI);
              });
    }
  }

  @Test
  void schemeIsCaseInsensitive() {
    assertThat(auth.check("bearer " + CI, "acme", READ)).isInstanceOf(Allowed.class);
    assertThat(auth.check("BEARER  " + CI + " ", "acme", READ)).isInstanceOf(Allowed.class);
  }

  @Test
  void theTokenIsWhatFollowsTheSchemeAndItsSpaces() {
    assertThat(Authenticator.bearerToken("Bearer abc")).contains("abc");
    assertThat(Authenticator.bearerToken(" \tBearer\t  abc def \t")).contains("abc def");
    assertThat(Authenticator.bearerToken("Bearer")).isEmpty();
    assertThat(Authenticator.bearerToken("Bearer   ")).isEmpty();
    assertThat(Authenticator.bearerToken("Bearerabc")).isEmpty();
    assertThat(Authenticator.bearerToken("Basic abc")).isEmpty();
    assertThat(Authenticator.bearerToken("  Bear abc")).isEmpty();
  }

  @Test
  void unknownTokenIs401() {
    assertThat(auth.check("Bearer not-a-token", "acme", READ))
        .isEqualTo(new Unauthenticated("unauthorized", "invalid token"));
  }

  @Test
  void wrongTeamIs403NamingTheTeam() {
    assertThat(auth.check("Bearer " + CI, "other", READ))
        .isInstanceOfSatisfying(
            Forbidden.class,
            r -> {
              assertThat(r.code()).isEqualTo("forbidden");
              assertThat(r.httpStatus()).isEqualTo(403);
              assertThat(r.message()).contains("'other'").contains("'ci'").doesNotContain(CI);
            });
  }

  @Test
  void readTokenCannotUpload() {
    assertThat(auth.check("Bearer " + PR, "acme", READ)).isInstanceOf(Allowed.class);
    assertThat(auth.check("Bearer " + PR, "acme", READWRITE))
        .isInstanceOfSatisfying(Forbidden.class, r -> {
          assertThat(r.message()).isEqualTo("token 'pr-builds' is read-only: uploads are refused");
          assertThat(r.principal().name()).isEqualTo("pr-builds");
        });
  }

  @Test
  void readwriteTokenIsNotAdmin() {
    assertThat(auth.check("Bearer " + CI, null, ADMIN))
        .isInstanceOfSatisfying(
            Forbidden.class, r -> assertThat(r.message()).contains("'ci'").contains("admin"));
  }

  @Test
  void adminIsAllowedEverythingOnItsTeams() {
    for (AccessLevel level : AccessLevel.values()) {
      assertThat(auth.check("Bearer " + OPS, "acme", level))
          .isEqualTo(new Allowed(new Principal("ops", Set.of("acme"), ADMIN)));
    }
    assertThat(auth.check("Bearer " + OPS, null, ADMIN)).isInstanceOf(Allowed.class);
    assertThat(auth.check("Bearer " + OPS, "web", READ)).isInstanceOf(Forbidden.class);
  }

  @Test
  void wildcardTeamsAllowAnyTeam() {
    assertThat(auth.check("Bearer " + ANY, "acme", READWRITE)).isInstanceOf(Allowed.class);
    assertThat(auth.check("Bearer " + ANY, "team_x", READWRITE)).isInstanceOf(Allowed.class);
  }

  @Test
  void anonymousReadLetsHeaderlessRequestsReadOnly() {
    assertThat(anonymousAuth.check(null, "acme", READ))
        .isEqualTo(new Allowed(Principal.ANONYMOUS));
    assertThat(anonymousAuth.check(null, "acme", READWRITE)).isInstanceOf(Unauthenticated.class);
    assertThat(anonymousAuth.check(null, null, ADMIN)).isInstanceOf(Unauthenticated.class);
    // A token that is presented must still be valid.
    assertThat(anonymousAuth.check("Bearer wrong", "acme", READ))
        .isInstanceOf(Unauthenticated.class);
    assertThat(anonymousAuth.check("Bearer " + CI, "acme", READ))
        .isInstanceOfSatisfying(
            Allowed.class, r -> assertThat(r.principal().name()).isEqualTo("ci"));
  }

  @Test
  void anonymousReadOffRefusesHeaderlessReads() {
    assertThat(auth.check(null, "acme", READ)).isInstanceOf(Unauthenticated.class);
  }

  @Test
  void identifyForRoutesWithoutTeam() {
    assertThat(auth.identify("Bearer " + PR)).map(Principal::name).contains("pr-builds");
    assertThat(auth.identify("Bearer nope")).isEmpty();
    assertThat(auth.identify(null)).isEmpty();
    assertThat(anonymousAuth.identify(null)).contains(Principal.ANONYMOUS);
  }

  @Test
  void tokenReloadIsSeenByTheNextCheck() {
    registry.replace(TokenSet.EMPTY);
    assertThat(auth.check("Bearer " + CI, "acme", READ)).isInstanceOf(Unauthenticated.class);
  }

  @Test
  void onlyATokenTheVerifierMustStillCheckIsNotDecidedAtOnce() {
    // The verifier's own rule: a token it has not seen needs a check that waits.
    TokenVerifier jwts = (token, digest, mayWait) -> mayWait || token.startsWith("seen.")
        ? java.util.Optional.of(new Unauthenticated("checked", "checked"))
        : java.util.Optional.of(new AuthResult.Pending());
    Authenticator withJwts = new Authenticator(registry, false, jwts);
    assertThat(withJwts.check("Bearer new.payload.signature", "acme", READ, false)).as("a JWT to check")
        .isInstanceOf(AuthResult.Pending.class);
    assertThat(withJwts.check("Bearer new.payload.signature", "acme", READ, true)).as("where it may wait")
        .isNotInstanceOf(AuthResult.Pending.class);
    assertThat(withJwts.check("Bearer seen.payload.signature", "acme", READ, false)).as("one checked before")
        .isNotInstanceOf(AuthResult.Pending.class);
    assertThat(withJwts.check(null, "acme", READ, false)).as("no header").isNotInstanceOf(AuthResult.Pending.class);
    assertThat(withJwts.check("Basic new.payload.signature", "acme", READ, false)).as("not a bearer token")
        .isNotInstanceOf(AuthResult.Pending.class);
    assertThat(withJwts.check("Bearer " + CI, "acme", READ, false)).isInstanceOf(Allowed.class);
    assertThat(auth.check("Bearer new.payload.signature", "acme", READ, false)).as("no verifier")
        .isNotInstanceOf(AuthResult.Pending.class);

    TokenRegistry dotted = new TokenRegistry(TokensFile.parse(
        "tokens:\n  - {name: ci, token: \"new.static.token\", teams: [acme], access: read}\n", "test"));
    assertThat(new Authenticator(dotted, false, jwts).check("Bearer new.static.token", "acme", READ, false))
        .as("a static token with dots, in the tokens file").isInstanceOf(Allowed.class);
  }
}
