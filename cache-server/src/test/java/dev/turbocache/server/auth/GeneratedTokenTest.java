package dev.turbocache.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeneratedTokenTest {
  @TempDir Path dir;

  @Test
  void createdOnceAndStableAcrossCalls() throws Exception {
    Path dataDir = dir.resolve("data/nested");

    String first = GeneratedToken.loadOrCreate(dataDir);
    String second = GeneratedToken.loadOrCreate(dataDir);

    assertThat(first).matches("[A-Za-z0-9_-]{43}"); // 32 bytes, URL-safe base64, no padding
    assertThat(second).isEqualTo(first);
    assertThat(Files.readString(dataDir.resolve("token")).strip()).isEqualTo(first);
    try (var files = Files.list(dataDir)) {
      assertThat(files).containsExactly(dataDir.resolve("token")); // no temporary file left
    }
  }

  @Test
  void differentDirectoriesGetDifferentTokens() {
    assertThat(GeneratedToken.loadOrCreate(dir.resolve("a")))
        .isNotEqualTo(GeneratedToken.loadOrCreate(dir.resolve("b")));
  }

  @Test
  void existingTokenIsRead() throws Exception {
    Files.writeString(dir.resolve("token"), "my-own-token\n");
    assertThat(GeneratedToken.loadOrCreate(dir)).isEqualTo("my-own-token");
  }

  @Test
  void fileIsOwnerOnly() throws Exception {
    assumeThat(Files.getFileStore(dir).supportsFileAttributeView("posix")).isTrue();
    GeneratedToken.loadOrCreate(dir);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("token"))))
        .isEqualTo("rw-------");
  }

  @Test
  void tokenSetHasOneLocalAdminForEveryTeam() {
    String token = GeneratedToken.loadOrCreate(dir);
    TokenRegistry registry = new TokenRegistry(GeneratedToken.tokenSet(token));

    assertThat(registry.current().size()).isEqualTo(1);
    assertThat(registry.authenticate(token))
        .hasValueSatisfying(
            p -> {
              assertThat(p.name()).isEqualTo("local");
              assertThat(p.access()).isEqualTo(AccessLevel.ADMIN);
              assertThat(p.mayUse("any-team")).isTrue();
            });
  }
}
