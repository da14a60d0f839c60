package dev.turbocache.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
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
      // The same bad content is counted once, not on every poll.
      watcher.reloadNow();
      assertThat(count("failure")).isEqualTo(1.0);

      write(file, tokens("fixed-token"));
      await().atMost(Duration.ofSeconds(10))
          .until(() -> registry.authenticate("fixed-token").isPresent());
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

      write(file, tokens("new-token"));
      assertThat(watcher.reloadNow()).isTrue();
      assertThat(registry.authenticate("new-token")).isPresent();
    }
  }

  @Test
  void kubernetesSecretSymlinkSwapIsPickedUp() throws Exception {
    // The layout kubelet uses for a mounted Secret:
    //   tokens.yaml -> ..data/tokens.yaml, ..data -> ..2026_01_01_00_00_00.1, and an update
    //   writes a new timestamped directory and renames a new ..data symlink over the old one.
    Path mount = Files.createDirectory(dir.resolve("secret"));
    Path v1 = Files.createDirectory(mount.resolve("..2026_01_01_00_00_00.1"));
    write(v1.resolve("tokens.yaml"), tokens("old-token"));
    Files.createSymbolicLink(mount.resolve("..data"), v1.getFileName());
    Path file =
        Files.createSymbolicLink(mount.resolve("tokens.yaml"), Path.of("..data/tokens.yaml"));

    try (var watcher = new TokensFileWatcher(file, registry, FAST, meters).start()) {
      assertThat(registry.authenticate("old-token")).isPresent();

      Path v2 = Files.createDirectory(mount.resolve("..2026_01_01_00_05_00.2"));
      write(v2.resolve("tokens.yaml"), tokens("new-token"));
      Path tmpLink = Files.createSymbolicLink(mount.resolve("..data_tmp"), v2.getFileName());
      Files.move(tmpLink, mount.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
      deleteTree(v1);

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
        .anyMatch(t -> t.getName().equals("turbocache-tokens-reload") && t.isAlive());
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

  private static void deleteTree(Path dir) throws Exception {
    try (var files = Files.list(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Files.delete(p);
      }
    }
    Files.delete(dir);
  }
}
