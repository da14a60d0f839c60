package dev.turbocache.server.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turbocache.server.config.ConfigLoader;
import dev.turbocache.server.config.TurboCacheConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerThreadsTest {
  private static TurboCacheConfig.Server server(Map<String, String> env) {
    return new ConfigLoader().load(null, env).server();
  }

  @Test
  void byDefaultOneIoThreadAndEightWorkersPerCoreEvenOnOneCore() {
    assertThat(ServerThreads.of(server(Map.of()), 1)).isEqualTo(new ServerThreads(1, 8));
    assertThat(ServerThreads.of(server(Map.of()), 2)).isEqualTo(new ServerThreads(2, 16));
    assertThat(ServerThreads.of(server(Map.of()), 6)).isEqualTo(new ServerThreads(6, 48));
  }

  @Test
  void configuredCountsWinOverTheCores() {
    TurboCacheConfig.Server configured = server(Map.of(
        "TURBOCACHE_SERVER_IO_THREADS", "3", "TURBOCACHE_SERVER_WORKER_THREADS", "5"));
    assertThat(ServerThreads.of(configured, 1)).isEqualTo(new ServerThreads(3, 5));
    assertThat(ServerThreads.of(server(Map.of("TURBOCACHE_SERVER_IO_THREADS", "2")), 4))
        .isEqualTo(new ServerThreads(2, 32));
  }

  @Test
  void theStartupLineNamesBoth() {
    assertThat(new ServerThreads(1, 8)).hasToString("1 I/O thread, 8 workers");
    assertThat(new ServerThreads(2, 16)).hasToString("2 I/O threads, 16 workers");
  }
}
