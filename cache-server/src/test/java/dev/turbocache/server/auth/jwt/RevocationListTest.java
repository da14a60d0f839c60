package dev.turbocache.server.auth.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RevocationListTest {
  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  @TempDir Path dir;

  @Test
  void theFileKeepsRevocationsAcrossRestartsUntilTheyRunOut() throws IOException {
    Path file = dir.resolve("revoked.json");
    try (RevocationList list = new RevocationList(new RevokedTokensFile(file, CLOCK), Duration.ofSeconds(1), CLOCK)) {
      list.revoke("a", NOW.plusSeconds(60));
      list.revoke("gone", NOW.minusSeconds(1));
      assertThat(list.isRevoked("a")).isTrue();
      assertThat(list.isRevoked("gone")).as("already expired").isFalse();
      assertThat(list.isRevoked("b")).isFalse();
    }
    Clock later = Clock.offset(CLOCK, Duration.ofSeconds(30));
    try (RevocationList list = new RevocationList(new RevokedTokensFile(file, later), Duration.ofSeconds(1), later)) {
      assertThat(list.isRevoked("a")).as("after a restart").isTrue();
      assertThat(list.size()).isEqualTo(1);
    }
    Clock past = Clock.offset(CLOCK, Duration.ofSeconds(61));
    try (RevocationList list = new RevocationList(new RevokedTokensFile(file, past), Duration.ofSeconds(1), past)) {
      assertThat(list.isRevoked("a")).as("once the token would have expired").isFalse();
    }
  }

  @Test
  void aSharedStoreIsReadAgainAndAFailedReadKeepsWhatIsKnown() {
    SharedStore store = new SharedStore();
    try (RevocationList list = new RevocationList(store, Duration.ofHours(1), CLOCK)) {
      store.others.put("elsewhere", NOW.plusSeconds(60));
      assertThat(list.isRevoked("elsewhere")).isFalse();
      list.refresh();
      assertThat(list.isRevoked("elsewhere")).as("another replica's revocation").isTrue();
      store.down = true;
      list.refresh();
      assertThat(list.isRevoked("elsewhere")).as("while the store is down").isTrue();
    }
  }

  @Test
  void idsOfTheConfigurationAreRevokedWhateverTheStoreHolds() throws IOException {
    Path file = dir.resolve("configured.json");
    Clock farLater = Clock.offset(CLOCK, Duration.ofDays(3650));
    try (RevocationList list = new RevocationList(new RevokedTokensFile(file, farLater), Duration.ofSeconds(1),
        farLater, Set.of("listed"))) {
      assertThat(list.isRevoked("listed")).as("never runs out").isTrue();
      assertThat(list.isRevoked("other")).isFalse();
      list.revoke("other", NOW.plus(Duration.ofDays(3651)));
      assertThat(list.size()).as("the configured id and the stored one").isEqualTo(2);
      assertThat(Files.readString(file)).as("the configured id is not written to the store").doesNotContain("listed");
      list.revoke("listed", NOW.plus(Duration.ofDays(3651)));
      assertThat(list.size()).as("an id both configured and stored counts once").isEqualTo(2);
    }
  }

  /** A store other servers write to; {@code down} makes every read fail. */
  static final class SharedStore implements RevokedTokenStore {
    final Map<String, Instant> others = new HashMap<>();
    boolean down;

    @Override
    public void add(String jti, Instant until) {
      others.put(jti, until);
    }

    @Override
    public Map<String, Instant> load() throws IOException {
      if (down) {
        throw new IOException("down");
      }
      return Map.copyOf(others);
    }

    @Override
    public boolean shared() {
      return true;
    }

    @Override
    public void close() {}
  }
}
