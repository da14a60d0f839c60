package dev.turbocache.server.storage.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.turbocache.server.artifact.ArtifactKey;
import dev.turbocache.server.artifact.ArtifactMetadata;
import dev.turbocache.server.config.ByteSize;
import dev.turbocache.server.config.TurboCacheConfig;
import dev.turbocache.server.storage.ArtifactBody;
import dev.turbocache.server.storage.ArtifactStore;
import dev.turbocache.server.storage.ArtifactStoreContractTest;
import dev.turbocache.server.storage.ArtifactTooLargeException;
import dev.turbocache.server.storage.StoreStats;
import dev.turbocache.server.testing.RedisProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The shared store contract plus Redis specifics, against a real standalone {@code redis-server}.
 * One server serves the contract; tests that stop, restart or protect Redis start their own.
 */
class RedisStoreTest extends ArtifactStoreContractTest {

  private static final String PREFIX = "tc-test:";
  private static final Duration TTL = Duration.ofHours(1);

  private static Path redisDir;
  private static RedisProcess redis;

  private final List<RedisProcess> ownProcesses = new ArrayList<>();
  private final List<ArtifactStore> ownStores = new ArrayList<>();

  @BeforeAll
  static void startRedis() throws IOException {
    redisDir = Files.createTempDirectory("redis-store-test");
    redis = RedisProcess.start(redisDir);
  }

  @AfterAll
  static void stopRedis() {
    try {
      if (redis != null) {
        redis.stop();
      }
    } finally {
      RedisProcess.deleteTree(redisDir);
    }
  }

  @AfterEach
  void stopOwnProcessesAndStores() {
    ownStores.forEach(ArtifactStore::close);
    ownProcesses.forEach(RedisProcess::kill);
  }

  @Override
  protected ArtifactStore createStore(Path dir) throws IOException {
    redis.call("FLUSHALL");
    return newStore("redis://127.0.0.1:" + redis.port(), null, PREFIX, MIN_ARTIFACT);
  }

  private static RedisStore newStore(String uri, String password, String prefix, long maxArtifact) {
    return new RedisStore(new TurboCacheConfig.Redis(uri, password, "", prefix, TTL,
        ByteSize.ofBytes(maxArtifact), Duration.ofSeconds(5), Duration.ofSeconds(2)));
  }

  private RedisStore ownStore(String uri, String password, String prefix) {
    RedisStore s = newStore(uri, password, prefix, MIN_ARTIFACT);
    ownStores.add(s);
    return s;
  }

  private RedisProcess ownRedis(String... args) throws IOException {
    RedisProcess process = RedisProcess.start(tempDir, args);
    ownProcesses.add(process);
    return process;
  }

  // ---- layout ----

  @Test
  void hitsAreHeapBodiesUnderPrefixedKeys() throws IOException {
    put(store, new ArtifactKey("team-x", "ab12"), filled(10, 1));
    try (var hit = store.get(new ArtifactKey("team-x", "ab12")).orElseThrow()) {
      assertThat(hit.body()).isInstanceOf(ArtifactBody.Bytes.class);
    }
    assertThat(redis.call("EXISTS", PREFIX + "team-x:ab12")).isEqualTo(1L);
    assertThat(redis.call("DBSIZE")).isEqualTo(1L);
  }

  @Test
  void entriesExpireAfterTheTtl() throws IOException {
    put(store, key("a1"), filled(10, 1));
    long pttl = (Long) redis.call("PTTL", PREFIX + "team-a:a1");
    assertThat(pttl).isPositive().isLessThanOrEqualTo(TTL.toMillis());
  }

  @Test
  void headerLongerThanTheFirstProbeIsReadInFull() throws IOException {
    String longTag = "t".repeat(RedisValue.HEADER_PROBE * 3);
    ArtifactMetadata metadata = new ArtifactMetadata(4, null, longTag, null, null, null, null);
    store.put(key("a2"), metadata, new ArtifactBody.Bytes(new byte[] {1, 2, 3, 4}));

    assertThat(store.head(key("a2"))).contains(metadata);
    Map<ArtifactKey, ArtifactMetadata> seen = new HashMap<>();
    store.scan(seen::put);
    assertThat(seen).containsExactly(Map.entry(key("a2"), metadata));
  }

  @Test
  void foreignValuesUnderOurKeysAreMisses() throws IOException {
    redis.call("SET", PREFIX + "team-a:a3", "not an artifact");
    assertThat(store.get(key("a3"))).isEmpty();
    assertThat(store.head(key("a3"))).isEmpty();

    // A valid value of another key copied under this one is not served either.
    put(store, key("a4"), filled(5, 4));
    redis.call("COPY", PREFIX + "team-a:a4", PREFIX + "team-a:a5");
    assertThat(store.get(key("a5"))).isEmpty();
    assertThat(store.get(key("a4"))).isPresent();
  }

  // ---- prefixes ----

  @Test
  void keyPrefixesIsolateStoresSharingOneRedis() throws IOException {
    String uri = "redis://127.0.0.1:" + redis.port();
    // "tc-test:eu:" starts with "tc-test:": the key structure still keeps them apart.
    RedisStore other = ownStore(uri, null, PREFIX + "eu:");
    ArtifactKey shared = key("cafe");
    put(store, shared, filled(10, 'a'));
    put(other, shared, filled(20, 'b'));
    put(other, key("0e0"), filled(30, 'c'));

    assertThat(read(store.get(shared))).isEqualTo(filled(10, 'a'));
    assertThat(read(other.get(shared))).isEqualTo(filled(20, 'b'));
    assertThat(store.get(key("0e0"))).isEmpty();
    assertThat(store.stats()).isEqualTo(new StoreStats(1, 10));
    assertThat(other.stats()).isEqualTo(new StoreStats(2, 50));
    List<ArtifactKey> scanned = new ArrayList<>();
    store.scan((k, m) -> scanned.add(k));
    assertThat(scanned).containsExactly(shared);

    store.clear();
    assertThat(store.get(shared)).isEmpty();
    assertThat(read(other.get(shared))).isEqualTo(filled(20, 'b'));
    assertThat(other.stats()).isEqualTo(new StoreStats(2, 50));
  }

  @Test
  void scanAndClearPageThroughManyKeysAndLeaveOthersAlone() throws IOException {
    int count = RedisStore.SCAN_COUNT * 2 + 17;
    for (int i = 0; i < count; i++) {
      put(store, key(Integer.toHexString(0x1000 + i)), filled(i % 7, i));
    }
    redis.call("MSET", "unrelated:1", "x", "unrelated:2", "y", PREFIX + "not-an-artifact", "z");

    List<ArtifactKey> visited = new ArrayList<>();
    store.scan((k, m) -> visited.add(k));
    assertThat(visited).hasSize(count).doesNotHaveDuplicates();
    assertThat(store.stats().entries()).isEqualTo(count);

    store.clear();
    assertThat(store.stats()).isEqualTo(new StoreStats(0, 0));
    assertThat(redis.call("DBSIZE")).isEqualTo(3L);
  }

  @Test
  void statsAreUnknownWhenCountingWouldScanATooLargeDatabase() throws IOException {
    put(store, key("b1"), filled(100, 1));
    assertThat(store.stats()).isEqualTo(new StoreStats(1, 100));

    List<String> mset = new ArrayList<>(List.of("MSET"));
    for (long i = 0; i < RedisStore.STATS_MAX_KEYS; i++) {
      mset.add("filler:" + i);
      mset.add("");
    }
    redis.call(mset.toArray(String[]::new));
    put(store, key("b2"), filled(1, 1)); // a write, so no earlier count is reused

    assertThat(store.stats()).isEqualTo(StoreStats.UNKNOWN);
  }

  // ---- size limit ----

  @Test
  void doesNotAdmitArtifactsOverMaxArtifactSize() throws IOException {
    RedisStore small = newStore("redis://127.0.0.1:" + redis.port(), null, "small:", 1000);
    ownStores.add(small);
    assertThat(small.admits(1000)).isTrue();
    assertThat(small.admits(1001)).isFalse();

    put(small, key("c1"), filled(500, 1));
    assertThatThrownBy(() -> put(small, key("c1"), filled(1001, 2)))
        .isInstanceOf(ArtifactTooLargeException.class);
    assertThat(small.get(key("c1"))).as("the stale smaller version is gone").isEmpty();
    assertThat(redis.call("EXISTS", "small:team-a:c1")).isEqualTo(0L);
  }

  // ---- authentication ----

  @Test
  void authenticatesWithThePasswordAndNeverLogsIt() throws IOException {
    String secret = "s3cret-Pa55";
    RedisProcess protectedRedis = ownRedis("--requirepass", secret);
    String uri = "redis://127.0.0.1:" + protectedRedis.port();
    ListAppender<ILoggingEvent> logs = captureLogs();
    try {
      RedisStore good = ownStore(uri, secret, PREFIX);
      put(good, key("d1"), filled(10, 1));
      assertThat(read(good.get(key("d1")))).isEqualTo(filled(10, 1));

      // The configured password overrides a (wrong) one in the URI.
      RedisStore overridden = ownStore(
          "redis://:wrong-in-uri@127.0.0.1:" + protectedRedis.port(), secret, PREFIX);
      assertThat(read(overridden.get(key("d1")))).isEqualTo(filled(10, 1));

      RedisStore wrong = ownStore(uri, "wrong-Pa55", PREFIX);
      assertThatThrownBy(() -> wrong.get(key("d1"))).isInstanceOf(IOException.class)
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("wrong-Pa55", secret));
      assertThatThrownBy(() -> put(wrong, key("d2"), filled(1, 1)))
          .isInstanceOf(IOException.class);

      RedisStore none = ownStore(uri, null, PREFIX);
      assertThatThrownBy(() -> none.head(key("d1"))).isInstanceOf(IOException.class);
    } finally {
      stopCapture(logs);
    }
    assertThat(logs.list).isNotEmpty();
    for (ILoggingEvent event : logs.list) {
      String text = event.getFormattedMessage()
          + (event.getThrowableProxy() == null ? "" : event.getThrowableProxy().getMessage());
      assertThat(text).doesNotContain(secret, "wrong-Pa55", "wrong-in-uri");
    }
  }

  @Test
  void overridingThePasswordKeepsTheAclUserOfTheUri() throws IOException {
    RedisProcess acl = ownRedis("--user", "default", "off",
        "--user", "alice", "on", ">alice-pw", "~*", "&*", "+@all");
    String uri = "redis://alice:stale@127.0.0.1:" + acl.port();
    RedisStore alice = ownStore(uri, "alice-pw", PREFIX);
    put(alice, key("d3"), filled(3, 3));
    assertThat(read(alice.get(key("d3")))).isEqualTo(filled(3, 3));

    RedisStore asDefaultUser = ownStore("redis://127.0.0.1:" + acl.port(), "alice-pw", PREFIX);
    assertThatThrownBy(() -> asDefaultUser.get(key("d3"))).isInstanceOf(IOException.class);
  }

  private static ListAppender<ILoggingEvent> captureLogs() {
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    ((Logger) LoggerFactory.getLogger(RedisStore.class)).addAppender(appender);
    return appender;
  }

  private static void stopCapture(ListAppender<ILoggingEvent> appender) {
    ((Logger) LoggerFactory.getLogger(RedisStore.class)).detachAppender(appender);
    appender.stop();
  }

  // ---- failing fast and recovering ----

  @Test
  void failsFastWhileRedisIsDownAndRecoversAfterARestart() throws IOException {
    RedisProcess own = ownRedis();
    RedisStore s = ownStore("redis://127.0.0.1:" + own.port(), null, PREFIX);
    put(s, key("e1"), filled(10, 1));

    own.stop();
    assertThatThrownBy(() -> s.get(key("e1"))).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> s.head(key("e1"))).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> put(s, key("e2"), filled(10, 2))).isInstanceOf(IOException.class);
    assertThat(s.stats()).isEqualTo(StoreStats.UNKNOWN);

    own.start(); // same port, empty (nothing persisted)
    await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
      put(s, key("e3"), filled(10, 3));
      assertThat(read(s.get(key("e3")))).isEqualTo(filled(10, 3));
    });
    assertThat(s.connectionsOpened()).as("Lettuce reconnected the same connection").isEqualTo(1);
  }

  @Test
  void startsWhileRedisIsDownAndConnectsOnceItIsUp() throws IOException {
    RedisProcess own = RedisProcess.server(tempDir, RedisProcess.freePort());
    ownProcesses.add(own);
    RedisStore s = ownStore("redis://127.0.0.1:" + own.port(), null, PREFIX);

    assertThatThrownBy(() -> s.get(key("f1"))).isInstanceOf(IOException.class)
        .hasMessageContaining("not connected");
    assertThat(s.stats()).isEqualTo(StoreStats.UNKNOWN);

    own.start();
    await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
      put(s, key("f2"), filled(10, 2));
      assertThat(read(s.get(key("f2")))).isEqualTo(filled(10, 2));
    });
  }

  // ---- config ----

  @Test
  void rejectsAnInvalidUriWithoutEchoingIt() {
    assertThatThrownBy(() -> newStore("http://user:hunter2@host", null, PREFIX, 1))
        .hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> newStore("", null, PREFIX, 1))
        .hasMessageContaining("storage.redis.uri");
    assertThatCode(() -> RedisStore.escapeGlob("a*b?[c]\\")).doesNotThrowAnyException();
    assertThat(RedisStore.escapeGlob("a*b?[c]\\")).isEqualTo("a\\*b\\?\\[c\\]\\\\");
  }
}
