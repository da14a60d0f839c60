package dev.turbocache.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenRegistryTest {
  private static final String CI = "ci-Token-aaaaaaaaaaaa";
  private static final String PR = "pr-Token-bbbbbbbbbbbb";

  private final TokenRegistry registry =
      new TokenRegistry(
          TokensFile.parse(
              """
              tokens:
                - {name: ci, token: "%s", teams: [acme], access: readwrite}
                - {name: pr, sha256: "%s", teams: ["*"], access: read}
              """
                  .formatted(CI, TokenDigest.hexOf(PR)),
              "test"));

  @Test
  void plainTokenAuthenticates() {
    assertThat(registry.authenticate(CI))
        .hasValueSatisfying(
            p -> {
              assertThat(p.name()).isEqualTo("ci");
              assertThat(p.teams()).containsExactly("acme");
              assertThat(p.access()).isEqualTo(AccessLevel.READWRITE);
            });
  }

  @Test
  void digestTokenAuthenticates() {
    assertThat(registry.authenticate(PR)).map(Principal::name).contains("pr");
  }

  @Test
  void wrongTokenIsRejected() {
    assertThat(registry.authenticate("nope")).isEmpty();
    assertThat(registry.authenticate(CI + "x")).isEmpty();
    assertThat(registry.authenticate(CI.toUpperCase())).isEmpty();
    // The digest itself is not a token.
    assertThat(registry.authenticate(TokenDigest.hexOf(PR))).isEmpty();
    assertThat(registry.authenticate("")).isEmpty();
    assertThat(registry.authenticate(null)).isEmpty();
  }

  @Test
  void replaceSwapsTheWholeSet() {
    registry.replace(GeneratedToken.tokenSet("fresh"));
    assertThat(registry.authenticate(CI)).isEmpty();
    assertThat(registry.authenticate("fresh")).map(Principal::name).contains("local");
  }
}
