package dev.turbocache.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenDigestTest {

  @Test
  void hexIsTheSha256OfTheUtf8Token() {
    // FIPS 180-2 test vector.
    assertThat(TokenDigest.hexOf("abc"))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void parseHexRoundTripsAndRejectsWrongLengthOrCharacters() {
    String hex = TokenDigest.hexOf("token");
    assertThat(TokenDigest.parseHex(hex)).hasValueSatisfying(
        d -> assertThat(d).isEqualTo(TokenDigest.of("token")));
    assertThat(TokenDigest.parseHex(hex.toUpperCase())).isPresent();
    assertThat(TokenDigest.parseHex(hex.substring(2))).isEmpty();
    assertThat(TokenDigest.parseHex(hex + "00")).isEmpty();
    assertThat(TokenDigest.parseHex("z" + hex.substring(1))).isEmpty();
    assertThat(TokenDigest.parseHex(null)).isEmpty();
  }
}
