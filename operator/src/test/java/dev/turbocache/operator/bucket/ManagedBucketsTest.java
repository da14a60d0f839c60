package dev.turbocache.operator.bucket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turbocache.operator.TestResources;
import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.api.v1alpha1.TurboCacheStatus;
import dev.turbocache.operator.api.v1alpha1.spec.S3TierSpec;
import dev.turbocache.operator.model.ResolvedSpec;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * When the bucket step calls S3 at all, and when it looks again. The S3 calls themselves are proven
 * against Ceph RGW (ManagedBucketRgwIT); here a client that fails the test if opened.
 */
class ManagedBucketsTest {
  static final BucketClients NO_S3 = s3 -> {
    throw new AssertionError("no S3 call expected for bucket " + s3.bucket());
  };
  final ManagedBuckets buckets = new ManagedBuckets(NO_S3, Duration.ofMinutes(10));

  static TurboCache managed(S3TierSpec.DeletionPolicy policy) {
    TurboCache cr = TestResources.withS3(TestResources.minimal(), TestResources.S3Auth.ROLE_ARN);
    cr.getSpec().tiers.s3.provisioning = S3TierSpec.Provisioning.Managed;
    cr.getSpec().tiers.s3.deletionPolicy = policy;
    return cr;
  }

  @Test
  void withoutAManagedBucketThereIsNoS3CallAndNoResync() {
    TurboCache none = TestResources.minimal();
    TurboCache external = TestResources.withS3(TestResources.minimal(), TestResources.S3Auth.ROLE_ARN);
    for (TurboCache cr : List.of(none, external)) {
      BucketObservation o = buckets.reconcile(cr);
      assertThat(buckets.nextCheck(cr, o)).isEmpty();
      assertThat(buckets.cleanup(cr).done()).as("deletion is not held up").isTrue();
    }
  }

  @Test
  void retainAndPausedDeletionsKeepTheBucketWithoutTouchingIt() {
    assertThat(buckets.cleanup(managed(null)).done()).as("Retain is the default").isTrue();
    assertThat(buckets.cleanup(managed(S3TierSpec.DeletionPolicy.Retain)).done()).isTrue();
    TurboCache paused = managed(S3TierSpec.DeletionPolicy.Delete);
    paused.getSpec().paused = true;
    assertThat(buckets.cleanup(paused).done()).isTrue();
    assertThat(buckets.reconcile(paused).condition().orElseThrow().reason()).isEqualTo("Pending");
    assertThat(buckets.nextCheck(paused, buckets.reconcile(paused))).as("paused: no resync").isEmpty();
  }

  @Test
  void aReadyBucketIsCheckedAtTheResyncIntervalAFailingOneSoonerUnlessRetryingCannotHelp() {
    TurboCache cr = managed(null);
    ResolvedSpec.S3 s3 = ResolvedSpec.of(cr).s3();
    BucketObservation ready = BucketObservation.synced(cr, s3, new BucketSync.Result(false, List.of(), List.of(), List.of(), null), false);
    BucketObservation outage = BucketObservation.synced(cr, s3,
        BucketSync.Result.fatal(new BucketError("HeadBucket", "b", 0, null, "Connection refused")), false);
    BucketObservation taken = BucketObservation.synced(cr, s3,
        BucketSync.Result.fatal(new BucketError("CreateBucket", "b", 409, "BucketAlreadyExists", null)), false);
    assertThat(buckets.nextCheck(cr, ready)).contains(Duration.ofMinutes(10));
    assertThat(buckets.nextCheck(cr, outage)).contains(ManagedBuckets.RETRY);
    assertThat(buckets.nextCheck(cr, taken)).contains(Duration.ofMinutes(10));
    assertThat(new ManagedBuckets(NO_S3, Duration.ofSeconds(5)).nextCheck(cr, outage)).contains(Duration.ofSeconds(5));
  }

  @Test
  void missingOperatorCredentialsAreACondition() {
    ManagedBuckets noCredentials = new ManagedBuckets(
        new SdkBucketClients(() -> {
          throw new IllegalStateException("Secret 'aws' in namespace 'ops' (TURBOCACHE_AWS_CREDENTIALS_SECRET) not found");
        }), Duration.ofMinutes(10));
    BucketObservation o = noCredentials.reconcile(managed(null));
    assertThat(o.condition().orElseThrow().ready()).isFalse();
    assertThat(o.condition().orElseThrow().reason()).isEqualTo(BucketError.NO_CREDENTIALS);
    assertThat(o.problems()).singleElement().satisfies(p -> assertThat(p.message()).contains("Secret 'aws'"));
  }

  @Test
  void aBucketOnceCreatedByTheOperatorStaysSoWhenAReconciliationSeesAStaleStatus() {
    TurboCache cr = managed(null);
    cr.getMetadata().setUid("0b7e4c1a-uid");
    assertThat(buckets.lastKnown(cr).bucket().createdByOperator).isFalse();
    cr.setStatus(new TurboCacheStatus());
    cr.getStatus().bucket = buckets.lastKnown(cr).bucket();
    cr.getStatus().bucket.createdByOperator = true;
    assertThat(buckets.lastKnown(cr).bucket().createdByOperator).isTrue();

    TurboCache stale = managed(null);
    stale.getMetadata().setUid("0b7e4c1a-uid");
    assertThat(buckets.lastKnown(stale).bucket().createdByOperator).as("the cached copy before the status patch").isTrue();
    TurboCache other = managed(null);
    other.getMetadata().setUid("another-uid");
    assertThat(buckets.lastKnown(other).bucket().createdByOperator).isFalse();
  }
}
