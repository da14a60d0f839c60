package dev.turbocache.server.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turbocache.server.artifact.ArtifactKey;
import dev.turbocache.server.config.ByteSize;
import dev.turbocache.server.config.ConfigException;
import dev.turbocache.server.config.ConfigLoader;
import dev.turbocache.server.config.TurboCacheConfig;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Settings and key layout; nothing here talks to S3 (building a client does not connect). */
class S3StoreConfigTest {

  private static TurboCacheConfig.S3 defaults() {
    return new ConfigLoader().defaults().storage().s3();
  }

  private static TurboCacheConfig.S3 with(String bucket, String prefix, String endpoint,
      String accessKeyId, String secret, String partSize) {
    TurboCacheConfig.S3 d = defaults();
    return new TurboCacheConfig.S3(bucket, d.region(), prefix, endpoint, true, accessKeyId, secret,
        d.maxArtifactSize(), d.multipartThreshold(), ByteSize.parse(partSize),
        Duration.ofSeconds(5), d.checksums(), d.serverSideEncryption(), d.kmsKeyId());
  }

  @Test
  void defaultsGiveTheDocumentedKeyLayout() {
    TurboCacheConfig.S3 config = with("cache-bucket", defaults().prefix(), "http://127.0.0.1:1",
        "id", "secret", "16Mi");
    try (S3Store store = new S3Store(config)) {
      assertThat(store.name()).isEqualTo("s3");
      assertThat(store.objectKey(new ArtifactKey("team-x", "abc123")))
          .isEqualTo("turbo/team-x/abc123");
      assertThat(store.artifactKey("turbo/team-x/abc123"))
          .isEqualTo(new ArtifactKey("team-x", "abc123"));
      assertThat(store.artifactKey("turbo/team-x/abc123-0b9f-temp")).isNull();
      assertThat(store.artifactKey("turbo/team-x/sub/abc123")).isNull();
      assertThat(store.artifactKey("other/team-x/abc123")).isNull();
      assertThat(store.admits(5L << 40)).isTrue();
      assertThat(store.admits((5L << 40) + 1)).isFalse();
    }
  }

  @Test
  void prefixesEndWithASlashAndNeverStartWithOne() {
    assertThat(S3Store.normalizePrefix("turbo/")).isEqualTo("turbo/");
    assertThat(S3Store.normalizePrefix("turbo")).isEqualTo("turbo/");
    assertThat(S3Store.normalizePrefix("/a/b")).isEqualTo("a/b/");
    assertThat(S3Store.normalizePrefix("")).isEmpty();
    assertThat(S3Store.normalizePrefix(null)).isEmpty();
  }

  @Test
  void rejectsSettingsS3CannotWorkWith() {
    assertThatThrownBy(() -> new S3Store(with("", "p/", "", "id", "secret", "16Mi")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("storage.s3.bucket");
    assertThatThrownBy(() -> new S3Store(with("b", "p/", "", "id", "secret", "4Mi")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("storage.s3.partSize");
    assertThatThrownBy(() -> new S3Store(with("b", "p/", "", "id", "", "16Mi")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("storage.s3.secretAccessKey");
    assertThatThrownBy(() -> new S3Store(with("b", "p/", "minio:9000", "id", "s", "16Mi")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("storage.s3.endpoint");
  }

  @Test
  void withoutStaticKeysTheDefaultChainIsUsed() {
    assertThat(S3Clients.credentials(with("b", "p/", "", "", "", "16Mi")))
        .isInstanceOf(software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider.class);
    assertThat(S3Clients.credentials(with("b", "p/", "", "id", "secret", "16Mi")))
        .isInstanceOf(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.class);
  }

  @Test
  void unreadableMetadataFromOtherToolsCountsAsAbsent() {
    var m = S3Metadata.decode(12, Map.of("Duration-Ms", "soon", "created-at", "yesterday",
        "TAG", "=?UTF-8?B?not base64!?="));
    assertThat(m.size()).isEqualTo(12);
    assertThat(m.durationMs()).isNull();
    assertThat(m.createdAt()).isNull();
    assertThat(m.tag()).isEqualTo("=?UTF-8?B?not base64!?=");
  }
  private static TurboCacheConfig.S3 withEncryption(String checksums, String sse, String kmsKeyId) {
    TurboCacheConfig.S3 c = with("b", "turbo/", "http://127.0.0.1:1", "id", "secret", "16Mi");
    return new TurboCacheConfig.S3(c.bucket(), c.region(), c.prefix(), c.endpoint(), c.forcePathStyle(),
        c.accessKeyId(), c.secretAccessKey(), c.maxArtifactSize(), c.multipartThreshold(), c.partSize(),
        c.requestTimeout(), checksums, sse, kmsKeyId);
  }

  @Test
  void encryptionAndChecksumSettingsAreValidated() {
    assertThat(S3Encryption.of(withEncryption("when-supported", null, null))).isEqualTo(S3Encryption.BUCKET_DEFAULT);
    assertThat(S3Encryption.of(withEncryption("when-supported", "aws:kms", "testkey-1")).kmsKeyId()).isEqualTo("testkey-1");
    assertThat(S3Clients.whenRequired(withEncryption("when-required", null, null))).isTrue();
    assertThat(S3Clients.whenRequired(defaults())).as("default").isFalse();
    assertThatThrownBy(() -> new S3Store(withEncryption("when-supported", "aws:kmz", null)))
        .isInstanceOf(ConfigException.class).hasMessageContaining("storage.s3.serverSideEncryption");
    assertThatThrownBy(() -> new S3Store(withEncryption("when-supported", "AES256", "some-key")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("storage.s3.kmsKeyId");
    assertThatThrownBy(() -> new S3Store(withEncryption("when-supported", null, "some-key")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("storage.s3.kmsKeyId");
    assertThatThrownBy(() -> new S3Store(withEncryption("sometimes", null, null)))
        .isInstanceOf(ConfigException.class).hasMessageContaining("storage.s3.checksums");
  }
}
