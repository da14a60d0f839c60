package dev.turbocache.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
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

  @Test
  void managedBucketSettings() {
    OperatorSettings defaults = OperatorSettings.fromEnv(Map.of());
    assertThat(defaults.awsCredentialsSecret()).as("default AWS chain").isNull();
    assertThat(defaults.bucketResync()).isEqualTo(Duration.ofMinutes(10));
    OperatorSettings s = OperatorSettings.fromEnv(Map.of(
        "TURBOCACHE_AWS_CREDENTIALS_SECRET", "operator-aws", "TURBOCACHE_BUCKET_RESYNC_INTERVAL", "90s"));
    assertThat(s.awsCredentialsSecret()).isEqualTo("operator-aws");
    assertThat(s.bucketResync()).isEqualTo(Duration.ofSeconds(90));
    assertThat(OperatorSettings.fromEnv(Map.of("TURBOCACHE_BUCKET_RESYNC_INTERVAL", "2h")).bucketResync())
        .isEqualTo(Duration.ofHours(2));
    for (String bad : new String[] {"0s", "10", "ten minutes", "-1m"}) {
      assertThatThrownBy(() -> OperatorSettings.fromEnv(Map.of("TURBOCACHE_BUCKET_RESYNC_INTERVAL", bad)))
          .as(bad).hasMessageContaining("TURBOCACHE_BUCKET_RESYNC_INTERVAL");
    }
  }
}
