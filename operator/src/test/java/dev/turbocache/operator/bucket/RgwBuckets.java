package dev.turbocache.operator.bucket;

import dev.turbocache.operator.TestResources;
import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.api.v1alpha1.spec.S3PublicAccessBlockSpec;
import dev.turbocache.operator.api.v1alpha1.spec.S3TierSpec;
import dev.turbocache.operator.model.ResolvedSpec;
import dev.turbocache.server.testing.RgwFixture;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;

/** TurboCaches whose Managed bucket lives on the test run's Ceph RGW. */
public final class RgwBuckets {
  private static final AtomicInteger BUCKETS = new AtomicInteger();

  private RgwBuckets() {}

  /** A bucket name no other test uses (RGW keeps buckets for the whole run). */
  public static String uniqueBucket(String purpose) {
    return "tc-" + purpose + "-" + BUCKETS.incrementAndGet() + "-" + ProcessHandle.current().pid();
  }

  /**
   * The minimal TurboCache with a Managed s3 tier on RGW: its region, endpoint, path style, prefix
   * {@code turbo/}. blockPublicAcls is off: with it on, RGW 16 refuses every PutObject, even the
   * owner's (ignorePublicAcls still makes public ACLs ineffective).
   */
  public static TurboCache managed(RgwFixture rgw, String bucket) {
    TurboCache cr = TestResources.minimal();
    TestResources.withS3(cr, TestResources.S3Auth.DEFAULT_CHAIN);
    S3TierSpec s3 = cr.getSpec().tiers.s3;
    s3.provisioning = S3TierSpec.Provisioning.Managed;
    s3.bucket = bucket;
    s3.region = rgw.region();
    s3.endpoint = rgw.endpoint().toString();
    s3.forcePathStyle = true;
    s3.prefix = "turbo/";
    s3.publicAccessBlock = new S3PublicAccessBlockSpec();
    s3.publicAccessBlock.blockPublicAcls = false;
    return cr;
  }

  /** The operator's S3 clients with {@code user}'s keys (as its credentials Secret would give them). */
  public static BucketClients clients(RgwFixture.Credentials user) {
    return new SdkBucketClients(() -> StaticCredentialsProvider.create(
        AwsBasicCredentials.create(user.accessKey(), user.secretKey())));
  }

  /**
   * The operator's S3 clients for TurboCaches written for AWS (the examples): every call goes to
   * RGW instead, with path-style URLs, as {@code user}. RGW's region is the examples' region, so
   * CreateBucket's LocationConstraint is the one AWS would get.
   */
  public static BucketClients redirectedTo(RgwFixture rgw, RgwFixture.Credentials user) {
    BucketClients clients = clients(user);
    return s3 -> clients.open(new ResolvedSpec.S3(s3.provisioning(), s3.bucket(), s3.region(), s3.prefix(),
        rgw.endpoint().toString(), true, s3.credentialsSecretName(), s3.roleArn(), s3.podIdentity(), s3.specRetentionDays(),
        s3.specEncryption(), s3.specDeletionPolicy(), s3.publicAccessBlock(), s3.tags()));
  }

  /** An IAM client as RGW's admin user (user policies: PutUserPolicy, DeleteUserPolicy). The caller closes it. */
  public static IamClient iam(RgwFixture rgw) {
    return IamClient.builder().endpointOverride(rgw.endpoint()).region(Region.of(rgw.region()))
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(rgw.admin().accessKey(), rgw.admin().secretKey())))
        .build();
  }
}
