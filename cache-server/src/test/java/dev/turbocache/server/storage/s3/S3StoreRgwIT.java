package dev.turbocache.server.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turbocache.server.config.ByteSize;
import dev.turbocache.server.config.TurboCacheConfig;
import dev.turbocache.server.storage.ArtifactBody;
import dev.turbocache.server.storage.ArtifactStore;
import dev.turbocache.server.storage.ArtifactStoreContractTest;
import dev.turbocache.server.testing.RgwExtension;
import dev.turbocache.server.testing.RgwFixture;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * The s3 tier against Ceph RGW 16 (a real S3 implementation other than S3Proxy): the whole store
 * contract with {@code checksums: when-required}, multipart uploads, SSE-KMS per object, and why the
 * setting exists: with the SDK's default checksums RGW 16 refuses every upload.
 */
@ExtendWith(RgwExtension.class)
class S3StoreRgwIT extends ArtifactStoreContractTest {
  private static final AtomicInteger BUCKETS = new AtomicInteger();
  static RgwFixture rgw;
  static RgwFixture.Credentials user;

  @BeforeAll
  static void start(RgwFixture fixture) {
    rgw = fixture;
    user = rgw.createUser("s3-tier-" + ProcessHandle.current().pid());
  }

  static String newBucket() {
    String bucket = "s3-tier-" + BUCKETS.incrementAndGet() + "-" + ProcessHandle.current().pid();
    rgw.createBucket(user, bucket);
    return bucket;
  }

  static TurboCacheConfig.S3 config(String bucket, String checksums, String sse, String kmsKeyId) {
    return new TurboCacheConfig.S3(bucket, rgw.region(), "turbo/", rgw.endpoint().toString(), true, user.accessKey(),
        user.secretKey(), ByteSize.parse("5Ti"), ByteSize.parse("5Mi"), ByteSize.parse("5Mi"), Duration.ofSeconds(30),
        checksums, sse, kmsKeyId);
  }

  @Override
  protected ArtifactStore createStore(Path dir) {
    return new S3ListingStats(new S3Store(config(newBucket(), "when-required", null, null)));
  }

  @Test
  void multipartUploadsAndSseKmsPerObjectWork() throws IOException {
    String bucket = newBucket();
    byte[] large = new byte[11 << 20];
    for (int i = 0; i < large.length; i++) {
      large[i] = (byte) (i * 31);
    }
    try (S3Store s3 = new S3Store(config(bucket, "when-required", "aws:kms", RgwFixture.KMS_KEY));
        S3Client look = rgw.s3(user)) {
      s3.put(key("b16"), metadata(large.length), new ArtifactBody.Bytes(large));
      put(s3, key("5a11"), new byte[] {1, 2, 3});
      for (String k : new String[] {"turbo/team-a/b16", "turbo/team-a/5a11"}) {
        HeadObjectResponse head = look.headObject(b -> b.bucket(bucket).key(k));
        assertThat(head.serverSideEncryption()).as(k).isEqualTo(ServerSideEncryption.AWS_KMS);
        assertThat(head.ssekmsKeyId()).as(k).isEqualTo(RgwFixture.KMS_KEY);
      }
      assertThat(read(s3.get(key("b16")))).as("decrypted on the way out").isEqualTo(large);
      assertThat(read(s3.get(key("5a11")))).containsExactly(1, 2, 3);
    }
  }

  @Test
  void withTheSdksDefaultChecksumsRgw16RefusesUploads() {
    try (S3Store s3 = new S3Store(config(newBucket(), "when-supported", null, null))) {
      assertThatThrownBy(() -> put(s3, key("4e"), new byte[] {1}))
          .isInstanceOf(IOException.class).hasMessageContaining("400").hasMessageContaining("XAmzContentSHA256Mismatch");
    }
  }
}
