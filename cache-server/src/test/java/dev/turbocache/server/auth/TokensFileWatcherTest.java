package dev.turbocache.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.turbocache.server.testing.KubeletVolume;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokensFileWatcherTest {
  private static final Duration FAST = Duration.ofMillis(50);
  private static final Duration NEVER = Duration.ofHours(1);

  @TempDir Path dir;

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final TokenRegistry registry = new TokenRegistry(TokenSet.EMPTY);

  @Test
  void constructorLoadsTheFile() throws Exception {
    Path file = write(dir.resolve("tokens.yaml"), tokens("old-token"));
    try (var watcher = new TokensFileWatcher(file, registry, NEVER, meters)) {
      assertThat(registry.authenticate("old-token")).isPresent();
      assertThat(watcher.reloadNow()).isFalse(); // unchanged
      assertThat(count("success")).isZero();
    }
  }

  @Test
  void invalidFileAtStartupIsAnError() throws Exception {
    Path file = write(dir.resolve("tokens.yaml"), "tokens: [oops]\n");
    assertThatThrownBy(() -> new TokensFileWatcher(file, registry, NEVER, meters))
        .isInstanceOf(InvalidTokensFileException.class);
    assertThatThrownBy(
            () -> new TokensFileWatcher(dir.resolve("missing.yaml"), registry, NEVER, meters))
        .isInstanceOf(InvalidTokensFileException.class)
        .hasMessageContaining("file not found");
  }

  @Test
  void reloadNowPicksUpAChange() throws Exception {
    Path file = write(dir.resolve("tokens.yaml"), tokens("old-token"));
    try (var watcher = new TokensFileWatcher(file, registry, NEVER, meters)) {
      write(file, tokens("new-token"));

      assertThat(watcher.reloadNow()).isTrue();
      assertThat(registry.authenticate("new-token")).isPresent();
      assertThat(registry.authenticate("old-token")).isEmpty();
      assertThat(count("success")).isEqualTo(1.0);
      assertThat(watcher.reloadNow()).isFalse();
    }
  }

  @Test
  void changedFileIsPickedUpByPolling() throws Exception {
    Path file = write(dir.resolve("tokens.yaml"), tokens("old-token"));
    try (var watcher = new TokensFileWatcher(file, registry, FAST, meters).start()) {
      write(file, tokens("new-token"));

      await().atMost(Duration.ofSeconds(10))
          .until(() -> registry.authenticate("new-token").isPresent());
      assertThat(registry.authenticate("old-token")).isEmpty();
    }
  }

  @Test
  void invalidFileKeepsTheOldTokens() throws Exception {
    Path file = write(dir.resolve("tokens.yaml"), tokens("old-token"));
    try (var watcher = new TokensFileWatcher(file, registry, FAST, meters).start()) {
      write(file, "tokens:\n  - {name: ci, token: \"new-token\", teams: [], access: read}\n");

      await().atMost(Duration.ofSeconds(10)).until(() -> count("failure") >= 1.0);
      assertThat(registry.authenticate("old-token")).isPresent();
      assertThat(registry.authenticate("new-token")).isEmpty();
      assertThat(count("success")).isZero();
      // The same bad content is counted once, not on every poll, and stays stale.
      watcher.reloadNow();
      assertThat(count("failure")).isEqualTo(1.0);
      assertThat(stale()).as("the file on disk is not in force").isEqualTo(1.0);

      write(file, tokens("fixed-token"));
      await().atMost(Duration.ofSeconds(10))
          .until(() -> registry.authenticate("fixed-token").isPresent());
      assertThat(stale()).isZero();
    }
  }

  @Test
  void aRefusedVersionReplacedByTheOneInForceIsNoLongerStale() throws Exception {
    Path file = write(dir.resolve("tokens.yaml"), tokens("old-token"));
    try (var watcher = new TokensFileWatcher(file, registry, NEVER, meters)) {
      assertThat(stale()).isZero();
      write(file, "not: [tokens");
      assertThat(watcher.reloadNow()).isFalse();
      assertThat(stale()).isEqualTo(1.0);

      write(file, tokens("old-token"));
      watcher.reloadNow();
      assertThat(stale()).isZero();
      assertThat(registry.authenticate("old-token")).isPresent();
    }
  }

  @Test
  void disappearedFileKeepsTheOldTokens() throws Exception {
    Path file = write(dir.resolve("tokens.yaml"), tokens("old-token"));
    try (var watcher = new TokensFileWatcher(file, registry, NEVER, meters)) {
      Files.delete(file);

      assertThat(watcher.reloadNow()).isFalse();
      assertThat(registry.authenticate("old-token")).isPresent();
      assertThat(count("failure")).isEqualTo(1.0);
      assertThat(stale()).isEqualTo(1.0);

      write(file, tokens("new-token"));
      assertThat(watcher.reloadNow()).isTrue();
      assertThat(registry.authenticate("new-token")).isPresent();
      assertThat(stale()).isZero();
    }
  }

  @Test
  void kubernetesSecretSymlinkSwapIsPickedUp() throws Exception {
    KubeletVolume secret = KubeletVolume.create(dir.resolve("secret"), Map.of("tokens.yaml", bytes(tokens("old-token"))));

    try (var watcher = new TokensFileWatcher(secret.file("tokens.yaml"), registry, FAST, meters).start()) {
      assertThat(registry.authenticate("old-token")).isPresent();

      secret.update(Map.of("tokens.yaml", bytes(tokens("new-token"))));

      await().atMost(Duration.ofSeconds(10))
          .until(() -> registry.authenticate("new-token").isPresent());
      assertThat(registry.authenticate("old-token")).isEmpty();
      assertThat(count("success")).isEqualTo(1.0);
    }
  }

  @Test
  void closeStopsThePollingThread() throws Exception {
    Path file = write(dir.resolve("tokens.yaml"), tokens("old-token"));
    var watcher = new TokensFileWatcher(file, registry, FAST, meters).start();
    assertThat(pollingThreadAlive()).isTrue();

    watcher.close();

    await().atMost(Duration.ofSeconds(10)).until(() -> !pollingThreadAlive());
    assertThat(registry.authenticate("old-token")).isPresent(); // tokens are kept
  }

  private static boolean pollingThreadAlive() {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().equals("turbocache-tokens-file-reload") && t.isAlive());
  }

  private double stale() {
    var gauge = meters.find(WatchedFile.STALE_METRIC).tag("file", "tokens").gauge();
    assertThat(gauge).as("gauge " + WatchedFile.STALE_METRIC).isNotNull();
    return gauge.value();
  }

  private double count(String result) {
    var counter =
        meters.find(TokensFileWatcher.RELOADS_METRIC).tag("result", result).counter();
    assertThat(counter).as("counter result=" + result).isNotNull();
    return counter.count();
  }

  private static String tokens(String token) {
    return "tokens:\n  - {name: ci, token: \"" + token + "\", teams: [\"*\"], access: readwrite}\n";
  }

  private static Path write(Path file, String content) throws Exception {
    // Write-then-rename like editors and kubelet do, so a poll never sees half a file.
    Path tmp = Files.createTempFile(file.getParent(), ".tmp", ".yaml");
    Files.writeString(tmp, content);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return file;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
