package dev.turbocache.operator.bucket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turbocache.operator.TestResources;
import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.api.v1alpha1.spec.S3EncryptionSpec;
import dev.turbocache.operator.api.v1alpha1.spec.S3TierSpec;
import dev.turbocache.operator.model.ResolvedSpec;
import dev.turbocache.server.testing.S3ProxyFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionRule;

/**
 * Default bucket encryption, which Ceph RGW 16 lacks, against a real implementation of
 * Put/GetBucketEncryption: S3Proxy in-process (its in-memory store). S3Proxy implements none of the other sections, so the
 * same pass also shows what an endpoint without an API gives: a NotImplemented warning per API, not a
 * failure.
 */
class BucketEncryptionS3ProxyTest {
  @RegisterExtension static final S3ProxyFixture s3proxy = S3ProxyFixture.inMemoryForClass();

  static TurboCache managed(String bucket) {
    TurboCache cr = TestResources.withS3(TestResources.minimal(), TestResources.S3Auth.DEFAULT_CHAIN);
    S3TierSpec s3 = cr.getSpec().tiers.s3;
    s3.provisioning = S3TierSpec.Provisioning.Managed;
    s3.bucket = bucket;
    s3.region = S3ProxyFixture.REGION;
    s3.endpoint = s3proxy.endpoint().toString();
    s3.forcePathStyle = true;
    return cr;
  }

  static BucketSync.Result sync(TurboCache cr, CountingBucketClient[] counted) {
    ResolvedSpec.S3 s3 = ResolvedSpec.of(cr).s3();
    BucketClients clients = new SdkBucketClients(() -> StaticCredentialsProvider.create(
        AwsBasicCredentials.create(S3ProxyFixture.IDENTITY, S3ProxyFixture.CREDENTIAL)));
    try (CountingBucketClient client = new CountingBucketClient(clients.open(s3))) {
      counted[0] = client;
      return BucketSync.run(client, DesiredBucket.of(cr, s3));
    }
  }

  static ServerSideEncryptionRule rule(String bucket) {
    try (S3Client s3 = s3proxy.client()) {
      return s3.getBucketEncryption(b -> b.bucket(bucket)).serverSideEncryptionConfiguration().rules().get(0);
    }
  }

  @Test
  void sseS3IsSetKeptAndRestoredAndMissingApisAreWarnings() {
    String bucket = "enc-s3-" + ProcessHandle.current().pid();
    TurboCache cr = managed(bucket);
    CountingBucketClient[] counted = new CountingBucketClient[1];

    BucketSync.Result first = sync(cr, counted);
    assertThat(first.created()).isTrue();
    assertThat(first.fatal()).isNull();
    assertThat(first.failures()).isEmpty();
    assertThat(first.written()).as("%s", first).containsExactly(BucketSection.ENCRYPTION);
    assertThat(rule(bucket).applyServerSideEncryptionByDefault().sseAlgorithm()).isEqualTo(ServerSideEncryption.AES256);
    assertThat(first.unsupported()).extracting(BucketError::api).containsExactlyInAnyOrder(
        "GetPublicAccessBlock", "GetBucketLifecycleConfiguration", "GetBucketTagging", "PutBucketPolicy");
    BucketObservation observed = BucketObservation.synced(cr, ResolvedSpec.of(cr).s3(), first, true);
    assertThat(observed.condition().orElseThrow().ready()).isTrue();
    assertThat(observed.problems()).isEmpty();
    assertThat(observed.warnings()).extracting(w -> w.message()).anySatisfy(m -> assertThat(m).contains("PutBucketPolicy"));

    assertThat(sync(cr, counted).written()).isEmpty();
    assertThat(counted[0].writes).as("an unsupported write is tried once per pass, the encryption not again")
        .containsExactly(BucketSection.POLICY);

    try (S3Client s3 = s3proxy.client()) {
      s3.putBucketEncryption(b -> b.bucket(bucket).serverSideEncryptionConfiguration(c -> c.rules(ServerSideEncryptionRule.builder()
          .applyServerSideEncryptionByDefault(d -> d.sseAlgorithm(ServerSideEncryption.AWS_KMS).kmsMasterKeyID("someone-elses"))
          .build())));
    }
    assertThat(sync(cr, counted).written()).containsExactly(BucketSection.ENCRYPTION);
    assertThat(rule(bucket).applyServerSideEncryptionByDefault().sseAlgorithm()).isEqualTo(ServerSideEncryption.AES256);
  }

  @Test
  void sseKmsSetsTheKeyAndBucketKeys() {
    String bucket = "enc-kms-" + ProcessHandle.current().pid();
    TurboCache cr = managed(bucket);
    cr.getSpec().tiers.s3.encryption = new S3EncryptionSpec();
    cr.getSpec().tiers.s3.encryption.type = S3EncryptionSpec.Type.SSE_KMS;
    cr.getSpec().tiers.s3.encryption.kmsKeyId = "arn:aws:kms:us-east-1:123456789012:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
    CountingBucketClient[] counted = new CountingBucketClient[1];
    BucketSync.Result first = sync(cr, counted);
    assertThat(first.written()).as("%s", first).containsExactly(BucketSection.ENCRYPTION);
    ServerSideEncryptionRule rule = rule(bucket);
    assertThat(rule.applyServerSideEncryptionByDefault().sseAlgorithm()).isEqualTo(ServerSideEncryption.AWS_KMS);
    assertThat(rule.applyServerSideEncryptionByDefault().kmsMasterKeyID()).isEqualTo(cr.getSpec().tiers.s3.encryption.kmsKeyId);
    assertThat(rule.bucketKeyEnabled()).isTrue();
    assertThat(sync(cr, counted).written()).as("read back equal: no write").isEmpty();
  }
}
