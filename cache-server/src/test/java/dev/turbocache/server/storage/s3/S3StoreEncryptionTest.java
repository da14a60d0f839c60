package dev.turbocache.server.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turbocache.server.config.ByteSize;
import dev.turbocache.server.config.TurboCacheConfig;
import dev.turbocache.server.storage.ArtifactBody;
import dev.turbocache.server.artifact.ArtifactKey;
import dev.turbocache.server.artifact.ArtifactMetadata;
import dev.turbocache.server.testing.S3ProxyFixture;
import java.time.Instant;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * storage.s3.serverSideEncryption and kmsKeyId reach S3 with every upload, single and multipart
 * (S3Proxy's in-memory store keeps the headers and returns them on HeadObject). SSE-KMS that RGW
 * really applies is in S3StoreRgwIT.
 */
class S3StoreEncryptionTest {
  @RegisterExtension static final S3ProxyFixture s3proxy = S3ProxyFixture.inMemoryForClass();

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
      "AES256, ",
      "aws:kms, arn:aws:kms:eu-west-1:123456789012:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
  })
  void everyUploadAsksForTheConfiguredEncryption(String sse, String kmsKeyId) throws Exception {
    String bucket = s3proxy.createBucket();
    TurboCacheConfig.S3 c = s3proxy.config(bucket, "turbo/", ByteSize.parse("5Mi"), ByteSize.parse("5Mi"));
    TurboCacheConfig.S3 config = new TurboCacheConfig.S3(c.bucket(), c.region(), c.prefix(), c.endpoint(), c.forcePathStyle(),
        c.accessKeyId(), c.secretAccessKey(), c.maxArtifactSize(), c.multipartThreshold(), c.partSize(),
        c.requestTimeout(), c.checksums(), sse, kmsKeyId);
    try (S3Store store = new S3Store(config); S3Client look = s3proxy.client()) {
      store.put(new ArtifactKey("team", "a1"), metadata(1024), new ArtifactBody.Bytes(new byte[1024]));
      store.put(new ArtifactKey("team", "b2"), metadata(6 << 20), new ArtifactBody.Bytes(new byte[6 << 20]));
      for (String key : new String[] {"turbo/team/a1", "turbo/team/b2"}) {
        HeadObjectResponse head = look.headObject(b -> b.bucket(bucket).key(key));
        assertThat(head.serverSideEncryption()).as(key).isEqualTo(ServerSideEncryption.fromValue(sse));
        assertThat(head.ssekmsKeyId()).as(key).isEqualTo(kmsKeyId);
      }
    }
  }

  private static ArtifactMetadata metadata(long size) {
    return new ArtifactMetadata(size, 10L, null, null, null, null, Instant.parse("2025-01-02T03:04:05Z"));
  }
}
