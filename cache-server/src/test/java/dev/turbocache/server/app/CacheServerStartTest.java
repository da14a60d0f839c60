package dev.turbocache.server.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.turbocache.server.testing.TestServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A start that fails part way leaves nothing running behind it. */
class CacheServerStartTest {
  @TempDir Path dir;

  @Test
  void aPortInUseFailsTheStartAndStopsEverythingItHadStarted() throws Exception {
    Set<String> before = serverThreads();
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      assertThatThrownBy(() -> TestServer.start(dir, Map.of(
          "TURBOCACHE_SERVER_PORT", Integer.toString(taken.getLocalPort()),
          "TURBOCACHE_STORAGE_TIERS", "memory,disk",
          "TURBOCACHE_STORAGE_WRITE_POLICY", "write-back")))
          .hasMessageContaining("Address already in use");
    }
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(serverThreads()).as("threads of the failed start").isSubsetOf(before));
  }

  @Test
  void aManagementPortInUseFailsTheStartNamingItAndReleasesTheClientsPort() throws Exception {
    Set<String> before = serverThreads();
    int clientsPort;
    try (ServerSocket free = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      clientsPort = free.getLocalPort();
    }
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      assertThatThrownBy(() -> TestServer.start(dir, Map.of(
          "TURBOCACHE_SERVER_PORT", Integer.toString(clientsPort),
          "TURBOCACHE_SERVER_MANAGEMENT_PORT", Integer.toString(taken.getLocalPort()),
          "TURBOCACHE_STORAGE_TIERS", "memory,disk",
          "TURBOCACHE_STORAGE_WRITE_POLICY", "write-back")))
          .isInstanceOf(PortUnavailableException.class)
          .hasMessage("cannot listen on 127.0.0.1:%d (server.managementPort): Address already in use",
              taken.getLocalPort());
    }
    // The clients' port had been bound before the management port failed: it is free again.
    try (ServerSocket again = new ServerSocket(clientsPort, 50, InetAddress.getLoopbackAddress())) {
      assertThat(again.getLocalPort()).isEqualTo(clientsPort);
    }
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(serverThreads()).as("threads of the failed start").isSubsetOf(before));
  }

  /** The threads a server starts: its I/O and worker threads, token reloads, write-back. */
  private static Set<String> serverThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(n -> n.startsWith("XNIO-") || n.startsWith("turbocache-"))
        .collect(Collectors.toSet());
  }
}
