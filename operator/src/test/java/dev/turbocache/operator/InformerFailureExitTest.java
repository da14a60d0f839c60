package dev.turbocache.operator;

import static org.assertj.core.api.Assertions.assertThatNoException;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.junit.jupiter.api.Test;

/** An informer failing because the operator closed its client is shutdown, not a reason to exit. */
class InformerFailureExitTest {

  @Test
  void anInformerThatFailsAfterTheClientClosedDoesNotEndTheProcess() {
    Config config = new ConfigBuilder(Config.empty()).withMasterUrl("https://127.0.0.1:1").build();
    KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
    client.close();
    // Exiting here would end the test JVM and fail the build.
    assertThatNoException().isThrownBy(() ->
        new InformerFailureExit(client).onStop(null, new IllegalStateException("Client already closed")));
  }

  @Test
  void anInformerThatStopsWithoutAnErrorIsLeftAlone() {
    Config config = new ConfigBuilder(Config.empty()).withMasterUrl("https://127.0.0.1:1").build();
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
      assertThatNoException().isThrownBy(() -> new InformerFailureExit(client).onStop(null, null));
    }
  }
}
