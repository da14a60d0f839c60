package dev.turbocache.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class PrincipalTest {

  @Test
  void mayUseListedTeamsOnly() {
    Principal p = new Principal("ci", Set.of("acme", "web"), AccessLevel.READWRITE);
    assertThat(p.mayUse("acme")).isTrue();
    assertThat(p.mayUse("web")).isTrue();
    assertThat(p.mayUse("other")).isFalse();
    assertThat(p.mayUse("*")).isFalse();
    assertThat(p.mayUse(null)).isFalse();
  }

  @Test
  void wildcardMeansAnyTeam() {
    Principal p = new Principal("ci", Set.of("*"), AccessLevel.READ);
    assertThat(p.mayUse("acme")).isTrue();
    assertThat(p.mayUse("team_x")).isTrue();
  }

  @Test
  void anonymousReadsAnyTeamButNeverWrites() {
    assertThat(Principal.ANONYMOUS.name()).isEqualTo("anonymous");
    assertThat(Principal.ANONYMOUS.mayUse("acme")).isTrue();
    assertThat(Principal.ANONYMOUS.allows(AccessLevel.READ)).isTrue();
    assertThat(Principal.ANONYMOUS.allows(AccessLevel.READWRITE)).isFalse();
    assertThat(Principal.ANONYMOUS.isAnonymous()).isTrue();
    assertThat(new Principal("ci", Set.of("*"), AccessLevel.READ).isAnonymous()).isFalse();
  }
}
