package dev.turbocache.server.auth;

import static dev.turbocache.server.auth.AccessLevel.ADMIN;
import static dev.turbocache.server.auth.AccessLevel.READ;
import static dev.turbocache.server.auth.AccessLevel.READWRITE;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AccessLevelTest {

  @Test
  void eachLevelIncludesTheOnesBelow() {
    assertThat(READ.allows(READ)).isTrue();
    assertThat(READ.allows(READWRITE)).isFalse();
    assertThat(READ.allows(ADMIN)).isFalse();
    assertThat(READWRITE.allows(READ)).isTrue();
    assertThat(READWRITE.allows(READWRITE)).isTrue();
    assertThat(READWRITE.allows(ADMIN)).isFalse();
    assertThat(ADMIN.allows(READ)).isTrue();
    assertThat(ADMIN.allows(READWRITE)).isTrue();
    assertThat(ADMIN.allows(ADMIN)).isTrue();
  }

  @Test
  void configSpelling() {
    assertThat(AccessLevel.fromConfigName("read")).contains(READ);
    assertThat(AccessLevel.fromConfigName("readwrite")).contains(READWRITE);
    assertThat(AccessLevel.fromConfigName("admin")).contains(ADMIN);
    assertThat(AccessLevel.fromConfigName("READ")).isEmpty();
    assertThat(AccessLevel.fromConfigName("write")).isEmpty();
    assertThat(AccessLevel.fromConfigName(null)).isEmpty();
    assertThat(READWRITE.configName()).isEqualTo("readwrite");
  }
}
