package dev.turbocache.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class OperatorSettingsTest {

  @Test
  void productionDefaults() {
    OperatorSettings s = OperatorSettings.fromEnv(Map.of());
    assertThat(s.watchAllNamespaces()).isTrue();
    assertThat(s.leaderElection()).isTrue();
    assertThat(s.leaseName()).isEqualTo("turbocache-operator");
    assertThat(s.serverSideApply()).isTrue();
    assertThat(s.httpPort()).isEqualTo(8080);
  }

  @Test
  void watchedNamespaces() {
    assertThat(OperatorSettings.fromEnv(Map.of("TURBOCACHE_WATCH_NAMESPACES", "own")).watchOwnNamespace()).isTrue();
    OperatorSettings list = OperatorSettings.fromEnv(Map.of("TURBOCACHE_WATCH_NAMESPACES", "ci, build-infra,,"));
    assertThat(list.watchAllNamespaces()).isFalse();
    assertThat(list.watchNamespaces()).containsExactlyInAnyOrder("ci", "build-infra");
    assertThat(OperatorSettings.fromEnv(Map.of("TURBOCACHE_WATCH_NAMESPACES", "*")).watchAllNamespaces()).isTrue();
  }

  @Test
  void switches() {
    OperatorSettings s = OperatorSettings.fromEnv(Map.of(
        "TURBOCACHE_LEADER_ELECTION", "false", "TURBOCACHE_SERVER_SIDE_APPLY", "off", "POD_NAMESPACE", "ops"));
    assertThat(s.leaderElection()).isFalse();
    assertThat(s.serverSideApply()).isFalse();
    assertThat(s.ownNamespace()).isEqualTo("ops");
    assertThatThrownBy(() -> OperatorSettings.fromEnv(Map.of("TURBOCACHE_LEADER_ELECTION", "maybe")))
        .hasMessageContaining("TURBOCACHE_LEADER_ELECTION");
  }
}
