package dev.turbocache.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CountsTest {
  @Test
  void oneIsSingularAndEveryOtherCountPlural() {
    assertThat(Counts.of(1, "artifact")).isEqualTo("1 artifact");
    assertThat(Counts.of(0, "artifact")).isEqualTo("0 artifacts");
    assertThat(Counts.of(2, "old artifact")).isEqualTo("2 old artifacts");
  }
}
