package dev.turbocache.server.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.turbocache.server.artifact.ArtifactKey;
import dev.turbocache.server.artifact.ArtifactMetadata;
import dev.turbocache.server.config.ByteSize;
import dev.turbocache.server.config.ConfigLoader;
import dev.turbocache.server.config.TurboCacheConfig;
import dev.turbocache.server.storage.Artifact;
import dev.turbocache.server.storage.ArtifactBody;
import dev.turbocache.server.storage.ArtifactStore;
import dev.turbocache.server.storage.ArtifactStoreContractTest;
import dev.turbocache.server.storage.BodySpooler;
import dev.turbocache.server.storage.IncompleteBodyException;
import dev.turbocache.server.storage.StorageFactory;
import dev.turbocache.server.storage.StoreStats;
import dev.turbocache.server.storage.TieredStore;
import dev.turbocache.server.storage.memory.MemoryStore;
import dev.turbocache.server.testing.S3ProxyFixture;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The shared store contract against a real S3 API (in-process S3Proxy), plus what is particular
 * to S3: user metadata, multipart uploads and their cleanup, 403 versus 404, prefixes, outages.
 */
class S3StoreTest extends ArtifactStoreContractTest {

  @TempDir static Path fixtureDir;
  static S3ProxyFixture s3proxy;

  private S3Store s3;
  private String bucket;

  @BeforeAll
  static void startS3() throws Exception {
    s3proxy = S3ProxyFixture.start(fixtureDir.resolve("blobs"));
  }

  @AfterAll
  static void stopS3() throws Exception {
    s3proxy.close();
  }

  @Override
  protected ArtifactStore createStore(Path dir) {
    bucket = s3proxy.createBucket();
    s3 = new S3Store(s3proxy.config(bucket, "cache/"));
    return new S3ListingStats(s3);
  }

  private S3Store multipartStore(String prefix) {
    return new S3Store(
        s3proxy.config(bucket, prefix, ByteSize.parse("5Mi"), ByteSize.parse("5Mi")));
  }

  private HeadObjectResponse rawHead(String key) {
    try (S3Client client = s3proxy.client()) {
      return client.headObject(b -> b.bucket(bucket).key(key));
    }
  }

  private List<String> rawKeys() {
    try (S3Client client = s3proxy.client()) {
      return client.listObjectsV2(b -> b.bucket(bucket)).contents().stream()
          .map(S3Object::key).toList();
    }
  }

  private int pendingUploads() {
    try (S3Client client = s3proxy.client()) {
      return client.listMultipartUploads(b -> b.bucket(bucket)).uploads().size();
    }
  }

  /** A one-shot stream that cannot mark/reset, like a request body from the network. */
  private static InputStream network(byte[] data) {
    return new FilterInputStream(new ByteArrayInputStream(data)) {
      @Override
      public boolean markSupported() {
        return false;
      }
    };
  }

  /** Delivers {@code failAfter} bytes, then fails like a client that disconnected. */
  private static InputStream failingAfter(byte[] data, int failAfter) {
    return new InputStream() {
      private int position;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (position >= failAfter) {
          throw new IOException("connection reset by client");
        }
        int n = Math.min(len, failAfter - position);
        System.arraycopy(data, position, b, off, n);
        position += n;
        return n;
      }
    };
  }

  private static ArtifactMetadata fullMetadata(long size, String tag) {
    return new ArtifactMetadata(size, 4321L, tag, "0123abcd", "d1r7y", "github_actions",
        Instant.parse("2025-03-04T05:06:07.089Z"));
  }

  // ---- metadata ----

  @Test
  void metadataIsObjectUserMetadataIncludingA600CharacterTag() throws IOException {
    byte[] tagBytes = randomBytes(450, 3);
    String tag = Base64.getEncoder().encodeToString(tagBytes);
    assertThat(tag).hasSize(600);
    ArtifactMetadata metadata = fullMetadata(10, tag);
    s3.put(key("a1"), metadata, new ArtifactBody.Bytes(filled(10, 1)));

    HeadObjectResponse raw = rawHead("cache/team-a/a1");
    assertThat(raw.contentType()).isEqualTo("application/octet-stream");
    assertThat(raw.metadata())
        .containsEntry("tag", tag)
        .containsEntry("duration-ms", "4321")
        .containsEntry("sha", "0123abcd")
        .containsEntry("dirty-hash", "d1r7y")
        .containsEntry("client-ci", "github_actions")
        .containsEntry("created-at", "2025-03-04T05:06:07.089Z")
        .containsEntry("size", "10");
    assertThat(s3.head(key("a1"))).contains(metadata);
    try (Artifact hit = s3.get(key("a1")).orElseThrow()) {
      assertThat(hit.metadata()).isEqualTo(metadata);
    }
  }

  @Test
  void nonAsciiMetadataIsStoredAsAsciiAndComesBackVerbatim() throws IOException {
    ArtifactMetadata metadata = new ArtifactMetadata(
        1, null, " padded ", "=?not-encoded?=", "dïrty", "ci\u2603", null);
    s3.put(key("a2"), metadata, new ArtifactBody.Bytes(new byte[] {7}));

    assertThat(rawHead("cache/team-a/a2").metadata().values())
        .allSatisfy(v -> assertThat(S3Metadata.isPlain(v) || v.startsWith("=?UTF-8?B?")).isTrue())
        .allSatisfy(v -> assertThat(StandardCharsets.US_ASCII.newEncoder().canEncode(v)).isTrue());
    assertThat(s3.head(key("a2"))).contains(metadata);
  }

  @Test
  void scanReportsFullMetadataFromEachObject() throws IOException {
    ArtifactMetadata metadata = fullMetadata(4, "scan-tag");
    s3.put(key("a3"), metadata, new ArtifactBody.Bytes(filled(4, 2)));
    Map<ArtifactKey, ArtifactMetadata> seen = new HashMap<>();
    s3.scan(seen::put);
    assertThat(seen).containsExactly(Map.entry(key("a3"), metadata));
  }

  // ---- multipart ----

  @Test
  void largeBodiesGoUpInPartsWithTheirMetadata() throws IOException {
    byte[] body = randomBytes((12 << 20) + 123, 11);
    ArtifactMetadata metadata = fullMetadata(body.length, "multipart-tag");
    try (S3Store store = multipartStore("cache/")) {
      store.put(key("b1"), metadata,
          new ArtifactBody.Streamed(network(body), body.length));

      // S3 names a multipart object's ETag "<digest>-<number of parts>".
      HeadObjectResponse raw = rawHead("cache/team-a/b1");
      assertThat(raw.eTag()).endsWith("-3\"");
      assertThat(raw.metadata()).containsEntry("tag", "multipart-tag");
      assertThat(store.head(key("b1"))).contains(metadata);
      Optional<Artifact> hit = store.get(key("b1"));
      assertThat(hit).map(Artifact::metadata).contains(metadata);
      assertThat(read(hit)).isEqualTo(body);
    }
  }

  @Test
  void fileRegionBodiesGoUpInPartsFromTheFile() throws IOException {
    byte[] body = randomBytes((10 << 20) + 7, 12);
    Path file = Files.createTempFile(tempDir, "region", ".bin");
    byte[] withHeader = new byte[body.length + 99];
    System.arraycopy(body, 0, withHeader, 99, body.length);
    Files.write(file, withHeader);
    try (S3Store store = multipartStore("cache/");
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      store.put(key("b2"), metadata(body.length),
          new ArtifactBody.FileRegion(channel, 99, body.length, null));
      assertThat(rawHead("cache/team-a/b2").eTag()).endsWith("-3\"");
      assertThat(read(store.get(key("b2")))).isEqualTo(body);
    }
  }

  @Test
  void failingBodyMidMultipartLeavesNoObjectAndNoPendingUpload() throws IOException {
    byte[] body = randomBytes(12 << 20, 13);
    try (S3Store store = multipartStore("cache/")) {
      assertThatThrownBy(() -> store.put(key("b3"), metadata(body.length),
          new ArtifactBody.Streamed(failingAfter(body, 7 << 20), body.length)))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("connection reset by client");

      assertThat(store.get(key("b3"))).isEmpty();
      assertThat(rawKeys()).isEmpty();
      assertThat(pendingUploads()).isZero();
    }
  }

  @Test
  void bodyEndingEarlyMidMultipartIsAnIncompleteBodyAndIsAborted() throws IOException {
    byte[] body = randomBytes(8 << 20, 14);
    try (S3Store store = multipartStore("cache/")) {
      assertThatThrownBy(() -> store.put(key("b4"), metadata(body.length + 4096L),
          new ArtifactBody.Streamed(network(body), body.length + 4096L)))
          .isInstanceOf(IncompleteBodyException.class);

      assertThat(store.head(key("b4"))).isEmpty();
      assertThat(pendingUploads()).isZero();
    }
  }

  @Test
  void interruptedMultipartUploadIsAbortedAndTheInterruptKept() throws IOException {
    byte[] body = randomBytes(12 << 20, 15);
    // Interrupts the uploading thread once the first part has been read.
    InputStream interrupting = new FilterInputStream(network(body)) {
      private long position;

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        position += Math.max(n, 0);
        if (position >= (6 << 20)) {
          Thread.currentThread().interrupt();
        }
        return n;
      }
    };
    try (S3Store store = multipartStore("cache/")) {
      try {
        assertThatThrownBy(() -> store.put(key("b5"), metadata(body.length),
            new ArtifactBody.Streamed(interrupting, body.length)))
            .isInstanceOf(IOException.class);
        assertThat(Thread.currentThread().isInterrupted()).isTrue();
      } finally {
        Thread.interrupted();
      }
      assertThat(store.head(key("b5"))).isEmpty();
      assertThat(pendingUploads()).isZero();
    }
  }

  @Test
  void failingSinglePutKeepsThePreviousVersion() throws IOException {
    byte[] first = randomBytes(300_000, 16);
    put(s3, key("b6"), first);
    byte[] second = randomBytes(2 << 20, 17);

    assertThatThrownBy(() -> s3.put(key("b6"), metadata(second.length),
        new ArtifactBody.Streamed(failingAfter(second, 1 << 20), second.length)))
        .isInstanceOf(IOException.class);

    Optional<Artifact> hit = s3.get(key("b6"));
    assertThat(hit).map(Artifact::metadata).contains(metadata(first.length));
    assertThat(read(hit)).isEqualTo(first);
  }

  // ---- 404 versus 403 ----

  @Test
  void forbiddenIsNotAMiss() throws IOException {
    put(s3, key("c1"), filled(5, 1));
    s3proxy.denyMissingKeys(true);
    try {
      assertThatThrownBy(() -> s3.get(key("c2")))
          .isInstanceOf(S3AccessDeniedException.class)
          .hasMessageContaining("denied access")
          .hasMessageContaining("s3:ListBucket")
          .hasMessageContaining("cache/")
          .hasMessageNotContaining(S3ProxyFixture.CREDENTIAL);
      assertThatThrownBy(() -> s3.head(key("c2"))).isInstanceOf(S3AccessDeniedException.class);
      assertThat(read(s3.get(key("c1")))).isEqualTo(filled(5, 1));
    } finally {
      s3proxy.denyMissingKeys(false);
    }
    assertThat(s3.get(key("c2"))).isEmpty();
    assertThat(s3.head(key("c2"))).isEmpty();
  }

  @Test
  void tieredStoreCountsForbiddenAsAnErrorNotAMiss() throws IOException {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    S3Store tier = new S3Store(s3proxy.config(bucket, "cache/"));
    s3proxy.denyMissingKeys(true);
    try (TieredStore tiered = StorageFactory.assemble(List.of(tier), null,
        new BodySpooler(tempDir.resolve("spool"), 1 << 20, 1L << 30), registry).store()) {
      assertThat(tiered.get(key("c3"))).isEmpty();
    } finally {
      s3proxy.denyMissingKeys(false);
    }
    assertThat(registry.get("turbocache.tier.lookups").tags("tier", "s3", "result", "error")
        .counter().count()).isEqualTo(1);
    assertThat(registry.get("turbocache.tier.lookups").tags("tier", "s3", "result", "miss")
        .counter().count()).isZero();
  }

  // ---- layout and prefixes ----

  @Test
  void prefixesIsolateStoresSharingABucket() throws IOException {
    try (S3Store a = new S3Store(s3proxy.config(bucket, "a"));
        S3Store ab = new S3Store(s3proxy.config(bucket, "/ab/"))) {
      put(a, key("d1"), filled(3, 'a'));
      put(ab, key("d1"), filled(4, 'b'));
      put(s3, key("d1"), filled(5, 'c'));

      assertThat(rawKeys()).containsExactlyInAnyOrder(
          "a/team-a/d1", "ab/team-a/d1", "cache/team-a/d1");
      assertThat(read(a.get(key("d1")))).isEqualTo(filled(3, 'a'));
      assertThat(read(ab.get(key("d1")))).isEqualTo(filled(4, 'b'));

      List<ArtifactKey> scanned = new ArrayList<>();
      a.scan((k, m) -> scanned.add(k));
      assertThat(scanned).containsExactly(key("d1"));
      assertThat(a.countByListing()).isEqualTo(new StoreStats(1, 3));

      a.clear();
      assertThat(a.get(key("d1"))).isEmpty();
      assertThat(read(ab.get(key("d1")))).isEqualTo(filled(4, 'b'));
      assertThat(rawKeys()).containsExactlyInAnyOrder("ab/team-a/d1", "cache/team-a/d1");
    }
  }

  @Test
  void statsAreUnknownWithoutListing() throws IOException {
    put(s3, key("d2"), filled(3, 1));
    assertThat(s3.stats()).isEqualTo(StoreStats.UNKNOWN);
    assertThat(s3.countByListing()).isEqualTo(new StoreStats(1, 3));
  }

  @Test
  void clearDeletesMoreThanOneBatch() throws IOException {
    int count = S3Store.DELETE_BATCH + 5;
    try (S3Client client = s3proxy.client()) {
      for (int i = 0; i < count; i++) {
        String k = "cache/team-a/" + Integer.toHexString(0x1000 + i);
        client.putObject(b -> b.bucket(bucket).key(k),
            software.amazon.awssdk.core.sync.RequestBody.empty());
      }
    }
    assertThat(s3.countByListing().entries()).isEqualTo(count);
    s3.clear();
    assertThat(rawKeys()).isEmpty();
  }

  // ---- outages ----

  @Test
  void failsWhileS3IsDownAndRecoversWhenItIsBack() throws Exception {
    put(s3, key("e1"), filled(8, 1));
    s3proxy.stop();
    try {
      assertThatThrownBy(() -> s3.get(key("e1"))).isInstanceOf(IOException.class);
      assertThatThrownBy(() -> s3.head(key("e1"))).isInstanceOf(IOException.class);
      assertThatThrownBy(() -> put(s3, key("e2"), filled(8, 2))).isInstanceOf(IOException.class);
    } finally {
      s3proxy.restart();
    }
    assertThat(read(s3.get(key("e1")))).isEqualTo(filled(8, 1));
    put(s3, key("e2"), filled(8, 2));
    assertThat(read(s3.get(key("e2")))).isEqualTo(filled(8, 2));
  }

  // ---- in a tiered store ----

  @Test
  void storageFactoryBuildsTheS3Tier() throws IOException {
    TurboCacheConfig.Storage defaults = new ConfigLoader().defaults().storage();
    TurboCacheConfig.Storage storage = new TurboCacheConfig.Storage(List.of("memory", "s3"),
        "write-through", defaults.memory(), defaults.disk(), defaults.redis(),
        s3proxy.config(bucket, "factory/"), defaults.writeBack(), defaults.circuitBreaker());
    try (TieredStore tiered = StorageFactory.create(storage, tempDir,
        StorageFactory.spooler(tempDir, 1 << 20), new SimpleMeterRegistry()).store()) {
      assertThat(tiered.tiers()).extracting(ArtifactStore::name).containsExactly("memory", "s3");
      put(tiered, key("f0"), filled(6, 6));
    }
    assertThat(rawKeys()).contains("factory/team-a/f0");
  }

  @Test
  void tieredStorePromotesAnS3HitIntoMemory() throws IOException {
    MemoryStore memory = new MemoryStore(MIN_TOTAL, MIN_ARTIFACT, null, Ticker.systemTicker());
    S3Store tier = new S3Store(s3proxy.config(bucket, "cache/"));
    byte[] body = randomBytes(50_000, 18);
    ArtifactMetadata metadata = fullMetadata(body.length, "promoted");
    tier.put(key("f1"), metadata, new ArtifactBody.Bytes(body));
    assertThat(memory.head(key("f1"))).isEmpty();

    try (TieredStore tiered = StorageFactory.assemble(List.of(memory, tier), null,
        new BodySpooler(tempDir.resolve("spool"), 1 << 20, 1L << 30), new SimpleMeterRegistry())
        .store()) {
      Optional<Artifact> hit = tiered.get(key("f1"));
      assertThat(hit).map(Artifact::metadata).contains(metadata);
      assertThat(read(hit)).isEqualTo(body);

      assertThat(memory.head(key("f1"))).contains(metadata);
      try (Artifact fromMemory = memory.get(key("f1")).orElseThrow()) {
        assertThat(fromMemory.body()).isInstanceOf(ArtifactBody.Bytes.class);
        assertThat(((ArtifactBody.Bytes) fromMemory.body()).toArray()).isEqualTo(body);
      }
    }
  }
}
