package dev.turbocache.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.turbocache.server.admin.AdminApi.PurgeResponse;
import dev.turbocache.server.artifact.ArtifactKey;
import dev.turbocache.server.artifact.ArtifactMetadata;
import dev.turbocache.server.http.Json;
import dev.turbocache.server.storage.ArtifactBody;
import dev.turbocache.server.storage.FlakyStore;
import dev.turbocache.server.storage.memory.MemoryStore;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A purge plans without side effects, and once it deletes it reports instead of throwing. */
class PurgeTest {
  private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
  private static final Instant CUTOFF = NOW.minus(Duration.ofDays(14));

  private final FlakyStore store =
      new FlakyStore(new MemoryStore(1 << 20, 1 << 20, null, Ticker.systemTicker()));

  @BeforeEach
  void fill() throws Exception {
    put("acme", "0a", 10, NOW.minus(Duration.ofDays(30)));
    put("acme", "0b", 20, NOW.minus(Duration.ofDays(20)));
    put("web", "0c", 40, NOW.minus(Duration.ofDays(15)));
    put("acme", "0d", 80, NOW.minus(Duration.ofDays(1)));
  }

  private void put(String team, String hash, int size, Instant created) throws Exception {
    store.put(new ArtifactKey(team, hash),
        new ArtifactMetadata(size, null, null, null, null, null, created), new ArtifactBody.Bytes(new byte[size]));
  }

  private boolean present(String team, String hash) throws Exception {
    return store.head(new ArtifactKey(team, hash)).isPresent();
  }

  @Test
  void theReportOfThePlanRemovesNothing() throws Exception {
    PurgeResponse plan = Purge.plan(store, "14d", CUTOFF, null).report();

    assertThat(plan.dryRun()).isTrue();
    assertThat(plan.removed()).isEqualTo(3);
    assertThat(plan.bytes()).isEqualTo(70);
    assertThat(plan.artifacts()).containsExactlyInAnyOrder("acme/0a", "acme/0b", "web/0c");
    assertThat(present("acme", "0a")).isTrue();
  }

  @Test
  void aTeamPurgeTouchesOnlyThatTeam() throws Exception {
    PurgeResponse done = Purge.plan(store, "14d", CUTOFF, "web").execute(store);

    assertThat(done.removed()).isEqualTo(1);
    assertThat(done.teams()).containsOnlyKeys("web");
    assertThat(present("web", "0c")).isFalse();
    assertThat(present("acme", "0a")).isTrue();
  }

  @Test
  void aDeleteFailurePartWayIsReportedWithWhatWasRemovedBeforeIt() throws Exception {
    Purge purge = Purge.plan(store, "14d", CUTOFF, null);
    store.failDeletesAfter(1);

    PurgeResponse done = purge.execute(store);

    assertThat(done.dryRun()).isFalse();
    assertThat(done.removed()).isEqualTo(1);
    assertThat(done.remaining()).isEqualTo(2);
    assertThat(done.error()).contains("injected delete failure");
    assertThat(done.artifacts()).hasSize(1);
    String[] removed = done.artifacts().getFirst().split("/");
    assertThat(present(removed[0], removed[1])).as("the one it reports removed is gone").isFalse();
    JsonNode json = Json.MAPPER.readTree(Json.encode(done));
    assertThat(json.path("cutoff").asText()).isEqualTo("2026-05-18T00:00:00Z");
    assertThat(json.path("remaining").asLong()).isEqualTo(2);
  }

  @Test
  void aCompletePurgeHasNoErrorAndNothingRemaining() throws Exception {
    PurgeResponse done = Purge.plan(store, "14d", CUTOFF, null).execute(store);

    assertThat(done.removed()).isEqualTo(3);
    assertThat(done.remaining()).isZero();
    assertThat(done.error()).isNull();
    assertThat(present("acme", "0d")).as("younger than the cutoff").isTrue();
  }
}
