package dev.turbocache.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turbocache.server.artifact.ArtifactKey;
import dev.turbocache.server.artifact.ArtifactMetadata;
import dev.turbocache.server.storage.CircuitBreakingStore.Side;
import dev.turbocache.server.storage.disk.DiskStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The breakers of one tier, on a clock moved by hand: when a tripped side is probed again, how
 * the wait grows while probes fail, and which failures trip a side at all.
 */
class CircuitBreakingStoreTest {
  static final Duration FIRST = Duration.ofSeconds(1);
  static final Duration MAX = Duration.ofSeconds(5);

  @TempDir Path dir;
  final ManualClock clock = new ManualClock();
  FlakyStore tier;
  CircuitBreakingStore guarded;

  @BeforeEach
  void setUp() throws IOException {
    tier = new FlakyStore(new DiskStore(dir, 1L << 30, 1L << 30));
    guarded = new CircuitBreakingStore(tier, 3, FIRST, MAX, new SimpleMeterRegistry(), clock);
  }

  static final ArtifactKey KEY = new ArtifactKey("acme", "abc");

  void put() throws IOException {
    byte[] b = "body".getBytes(StandardCharsets.UTF_8);
    guarded.put(KEY, new ArtifactMetadata(b.length, null, null, null, null, null, null),
        new ArtifactBody.Bytes(b));
  }

  /** One read through the breaker: true if it reached the tier. */
  boolean readReachesTier() {
    int before = tier.calls.get();
    try {
      guarded.head(KEY);
    } catch (TierUnavailableException e) {
      return false;
    } catch (IOException e) {
      // the tier answered, with a failure
    }
    return tier.calls.get() > before;
  }

  @Test
  void missesAreToldWithoutBlockingOnlyWhileReadsFlow() {
    assertThat(guarded.knowsMissesWithoutBlocking()).isTrue();
    assertThat(guarded.absentWithoutBlocking(KEY)).isTrue();
    tripReads();
    tier.failReads = false;
    assertThat(guarded.absentWithoutBlocking(KEY)).as("an open breaker decides in get").isFalse();
  }

  void tripReads() {
    tier.failReads = true;
    for (int i = 0; i < 3; i++) {
      assertThat(readReachesTier()).isTrue();
    }
    assertThat(guarded.isOpen(Side.READ)).isTrue();
  }

  @Test
  void aTrippedSideIsProbedAfterTheFirstWaitAndTheWaitDoublesWhileProbesFail() {
    tripReads();
    assertThat(readReachesTier()).as("skipped while open").isFalse();
    clock.advancePast(FIRST);
    assertThat(readReachesTier()).as("probed after %s", FIRST).isTrue();

    // The probe failed: the next one waits twice as long.
    clock.advancePast(FIRST);
    assertThat(readReachesTier()).isFalse();
    clock.advancePast(FIRST);
    assertThat(readReachesTier()).as("probed after twice the wait").isTrue();

    // Doubling stops at the maximum.
    for (int i = 0; i < 5; i++) {
      clock.advancePast(MAX);
      assertThat(readReachesTier()).as("probe %d, within %s", i, MAX).isTrue();
    }

    tier.failReads = false;
    clock.advancePast(MAX);
    assertThat(readReachesTier()).isTrue();
    assertThat(guarded.isOpen(Side.READ)).as("a good probe closes the breaker").isFalse();
    assertThat(readReachesTier()).isTrue();

    // Closing forgets the backoff: the next trip waits the first wait again.
    tripReads();
    clock.advancePast(FIRST);
    assertThat(readReachesTier()).isTrue();
  }

  @Test
  void aTierThatCannotWriteStillServesReads() throws IOException {
    put();
    tier.failWrites = true;
    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(this::put).isInstanceOf(IOException.class);
    }
    assertThat(guarded.isOpen(Side.WRITE)).isTrue();
    assertThatThrownBy(this::put).isInstanceOf(TierUnavailableException.class);
    assertThat(guarded.isOpen(Side.READ)).isFalse();
    assertThat(guarded.get(KEY)).as("reads still reach the tier").isPresent().get()
        .satisfies(a -> a.close());
  }

  @Test
  void aFullFileSystemNeverTripsABreakerSoSpaceComingBackIsNoticedAtOnce() throws IOException {
    tier.writesFull = true;
    for (int i = 0; i < 10; i++) {
      int before = tier.calls.get();
      assertThatThrownBy(this::put).isInstanceOf(StorageFullException.class);
      assertThat(tier.calls.get()).as("write %d reached the tier", i).isGreaterThan(before);
    }
    assertThat(guarded.isOpen(Side.WRITE)).isFalse();
    tier.writesFull = false;
    put();
    assertThat(guarded.head(KEY)).isPresent();
  }

  /** A clock that only moves when told to. */
  static final class ManualClock extends Clock {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    /** Moves just beyond {@code d}: an open period ends strictly after its wait. */
    void advancePast(Duration d) {
      now = now.plus(d).plusMillis(1);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
