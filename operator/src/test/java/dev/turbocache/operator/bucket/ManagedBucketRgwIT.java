package dev.turbocache.operator.bucket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.model.ResolvedSpec;
import dev.turbocache.server.testing.RgwExtension;
import dev.turbocache.server.testing.RgwFixture;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.PublicAccessBlockConfiguration;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * The bucket step against a real S3 control plane (Ceph RGW 16, see {@link RgwFixture}), with the
 * operator's production S3 client ({@link SdkBucketClients}) and its own RGW user: create in the
 * region, adopt, every section, drift restored section by section, nothing written when nothing
 * differs, another user's bucket, deletion in batches and retention. What RGW 16 lacks (bucket
 * encryption configuration) is a NotImplemented warning here; S3Proxy covers it (BucketEncryptionS3ProxyTest).
 */
@ExtendWith(RgwExtension.class)
class ManagedBucketRgwIT {
  static RgwFixture rgw;
  static RgwFixture.Credentials operator;
  static RgwFixture.Credentials other;

  @BeforeAll
  static void users(RgwFixture fixture) {
    rgw = fixture;
    operator = rgw.createUser("operator-" + ProcessHandle.current().pid());
    other = rgw.createUser("other-" + ProcessHandle.current().pid());
  }

  static BucketSync.Result sync(TurboCache cr, CountingBucketClient[] counted) {
    ResolvedSpec.S3 s3 = ResolvedSpec.of(cr).s3();
    try (CountingBucketClient client = new CountingBucketClient(RgwBuckets.clients(operator).open(s3))) {
      counted[0] = client;
      return BucketSync.run(client, DesiredBucket.of(cr, s3));
    }
  }

  static BucketSync.Result sync(TurboCache cr) {
    return sync(cr, new CountingBucketClient[1]);
  }

  @Test
  void createsTheBucketInItsRegionAndSetsEverySectionRgwImplements() {
    String bucket = RgwBuckets.uniqueBucket("create");
    TurboCache cr = RgwBuckets.managed(rgw, bucket);
    cr.getSpec().tiers.s3.retentionDays = 7;
    cr.getSpec().tiers.s3.tags = Map.of("team", "build");

    BucketSync.Result result = sync(cr);

    assertThat(result.fatal()).isNull();
    assertThat(result.failures()).isEmpty();
    assertThat(result.created()).isTrue();
    assertThat(result.written()).containsExactly(BucketSection.PUBLIC_ACCESS_BLOCK, BucketSection.LIFECYCLE,
        BucketSection.TAGGING, BucketSection.POLICY);
    assertThat(result.unsupported()).as("RGW 16 has no bucket encryption configuration")
        .extracting(BucketError::api).containsExactly("GetBucketEncryption");
    try (S3Client s3 = rgw.s3(operator)) {
      assertThat(s3.getBucketLocation(b -> b.bucket(bucket)).locationConstraintAsString()).isEqualTo(rgw.region());
      PublicAccessBlockConfiguration pab = s3.getPublicAccessBlock(b -> b.bucket(bucket)).publicAccessBlockConfiguration();
      assertThat(pab.ignorePublicAcls()).isTrue();
      assertThat(pab.blockPublicPolicy()).isTrue();
      assertThat(pab.restrictPublicBuckets()).isTrue();
      assertThat(pab.blockPublicAcls()).as("turned off in the spec for RGW").isFalse();
      List<LifecycleRule> rules = s3.getBucketLifecycleConfiguration(b -> b.bucket(bucket)).rules();
      assertThat(rules).extracting(LifecycleRule::id)
          .containsExactlyInAnyOrder(DesiredBucket.EXPIRE_RULE, DesiredBucket.ABORT_RULE);
      assertThat(rules).allSatisfy(r -> {
        assertThat(r.status()).isEqualTo(ExpirationStatus.ENABLED);
        assertThat(r.filter().prefix()).isEqualTo("turbo/");
      });
      assertThat(rules).filteredOn(r -> r.expiration() != null).singleElement()
          .satisfies(r -> assertThat(r.expiration().days()).isEqualTo(7));
      assertThat(rules).filteredOn(r -> r.abortIncompleteMultipartUpload() != null).singleElement()
          .satisfies(r -> assertThat(r.abortIncompleteMultipartUpload().daysAfterInitiation()).isEqualTo(1));
      assertThat(s3.getBucketTagging(b -> b.bucket(bucket)).tagSet()).extracting(Tag::key, Tag::value)
          .containsExactlyInAnyOrder(
              tuple("team", "build"),
              tuple(DesiredBucket.TAG_OWNER, "TurboCache"),
              tuple(DesiredBucket.TAG_NAMESPACE, "build-infra"),
              tuple(DesiredBucket.TAG_NAME, "monorepo"));
      assertThat(SectionValue.Policy.parse(s3.getBucketPolicy(b -> b.bucket(bucket)).policy()))
          .isEqualTo(SectionValue.Policy.parse(DesiredBucket.tlsOnlyPolicy(rgw.region(), bucket)));
      // the spec's blockPublicAcls=false is what lets objects in on RGW 16
      s3.putObject(b -> b.bucket(bucket).key("turbo/team/abc"), RequestBody.fromString("artifact"));
    }
    BucketObservation observed = BucketObservation.synced(cr, ResolvedSpec.of(cr).s3(), result, true);
    assertThat(observed.condition().orElseThrow().ready()).isTrue();
    assertThat(observed.warnings()).singleElement().satisfies(w -> {
      assertThat(w.reason()).isEqualTo("NotImplemented");
      assertThat(w.message()).contains("GetBucketEncryption");
    });
  }

  @Test
  void nothingIsWrittenWhenNothingDiffersAndDriftIsRestoredSectionBySection() {
    String bucket = RgwBuckets.uniqueBucket("drift");
    TurboCache cr = RgwBuckets.managed(rgw, bucket);
    assertThat(sync(cr).ok()).isTrue();

    CountingBucketClient[] second = new CountingBucketClient[1];
    BucketSync.Result again = sync(cr, second);
    assertThat(again.created()).isFalse();
    assertThat(again.written()).isEmpty();
    assertThat(second[0].writes).as("S3 write calls when nothing differs").isEmpty();

    try (S3Client s3 = rgw.s3(operator)) {
      // behind the operator's back: a tag, the policy reformatted (no drift) and the lifecycle changed
      s3.putBucketTagging(b -> b.bucket(bucket).tagging(t -> t.tagSet(Tag.builder().key("owner").value("someone").build())));
      String reformatted = SectionValue.Policy.parse(DesiredBucket.tlsOnlyPolicy(rgw.region(), bucket)).canonical().toPrettyString();
      s3.putBucketPolicy(b -> b.bucket(bucket).policy(reformatted));
      s3.putBucketLifecycleConfiguration(b -> b.bucket(bucket).lifecycleConfiguration(c -> c.rules(LifecycleRule.builder()
          .id("mine").status(ExpirationStatus.ENABLED).filter(f -> f.prefix("")).expiration(e -> e.days(1)).build())));
    }
    CountingBucketClient[] third = new CountingBucketClient[1];
    BucketSync.Result restored = sync(cr, third);
    assertThat(restored.written()).containsExactly(BucketSection.LIFECYCLE, BucketSection.TAGGING);
    assertThat(third[0].writes).containsExactly(BucketSection.LIFECYCLE, BucketSection.TAGGING);
    try (S3Client s3 = rgw.s3(operator)) {
      assertThat(s3.getBucketTagging(b -> b.bucket(bucket)).tagSet()).extracting(Tag::key)
          .containsExactlyInAnyOrder(DesiredBucket.TAG_OWNER, DesiredBucket.TAG_NAMESPACE, DesiredBucket.TAG_NAME);
      assertThat(s3.getBucketLifecycleConfiguration(b -> b.bucket(bucket)).rules()).extracting(LifecycleRule::id)
          .containsExactlyInAnyOrder(DesiredBucket.EXPIRE_RULE, DesiredBucket.ABORT_RULE);
    }
    assertThat(sync(cr).written()).as("and then it stays").isEmpty();
  }

  @Test
  void aBucketItAlreadyOwnsIsAdoptedNotCreated() {
    String bucket = RgwBuckets.uniqueBucket("adopt");
    rgw.createBucket(operator, bucket);
    BucketSync.Result result = sync(RgwBuckets.managed(rgw, bucket));
    assertThat(result.ok()).isTrue();
    assertThat(result.created()).isFalse();
    assertThat(result.written()).contains(BucketSection.TAGGING, BucketSection.POLICY);
  }

  @Test
  void aBucketNameAnotherAccountOwnsIsBucketAlreadyExists() {
    String bucket = RgwBuckets.uniqueBucket("taken");
    rgw.createBucket(other, bucket);
    BucketSync.Result result = sync(RgwBuckets.managed(rgw, bucket));
    assertThat(result.fatal()).isNotNull();
    assertThat(result.fatal().kind()).isEqualTo(BucketError.Kind.OWNED_BY_ANOTHER_ACCOUNT);
    assertThat(result.fatal().reason()).isEqualTo("BucketAlreadyExists");
    assertThat(result.fatal().message()).contains("AWS error code BucketAlreadyExists").contains("Another account owns");
    try (S3Client s3 = rgw.s3(other)) {
      assertThat(catchCode(() -> s3.getBucketTagging(b -> b.bucket(bucket)))).as("the other user's bucket is untouched")
          .isEqualTo("NoSuchTagSet");
    }
  }

  @Test
  void credentialsS3RefusesAreNamedAsSuch() {
    RgwFixture.Credentials wrong = new RgwFixture.Credentials("nobody", "AKIDNOSUCHKEY", "wrong-secret");
    TurboCache cr = RgwBuckets.managed(rgw, RgwBuckets.uniqueBucket("denied"));
    ResolvedSpec.S3 s3 = ResolvedSpec.of(cr).s3();
    BucketSync.Result result;
    try (BucketClient client = RgwBuckets.clients(wrong).open(s3)) {
      result = BucketSync.run(client, DesiredBucket.of(cr, s3));
    }
    assertThat(result.fatal().kind()).isEqualTo(BucketError.Kind.INVALID_CREDENTIALS);
    assertThat(result.fatal().reason()).isEqualTo("InvalidAccessKeyId");
  }

  @Test
  void deleteEmptiesThePrefixInBatchesThenTheBucketItCreated() {
    String bucket = RgwBuckets.uniqueBucket("delete");
    TurboCache cr = RgwBuckets.managed(rgw, bucket);
    assertThat(sync(cr).created()).isTrue();
    try (S3Client s3 = rgw.s3(operator)) {
      for (int i = 0; i < 25; i++) {
        int n = i;
        s3.putObject(b -> b.bucket(bucket).key("turbo/team/" + n), RequestBody.fromString("x"));
      }
      s3.createMultipartUpload(b -> b.bucket(bucket).key("turbo/team/half-uploaded"));
    }
    BucketDeletion deletion = new BucketDeletion(10, 1);
    List<BucketDeletion.Progress> steps = new ArrayList<>();
    try (BucketClient client = RgwBuckets.clients(operator).open(ResolvedSpec.of(cr).s3())) {
      BucketDeletion.Progress p = new BucketDeletion.Progress(0, BucketDeletion.Phase.DeletingObjects, null);
      while (!p.done() && steps.size() < 20) {
        p = deletion.step(client, bucket, "turbo/", true, p.objectsDeleted());
        assertThat(p.error()).isNull();
        steps.add(p);
      }
    }
    assertThat(steps.get(steps.size() - 1).done()).isTrue();
    assertBatches(steps.stream().map(BucketDeletion.Progress::objectsDeleted).toList(), 25, 10);
    try (S3Client s3 = rgw.s3(operator)) {
      assertThat(catchCode(() -> s3.headBucket(b -> b.bucket(bucket)))).as("the bucket is gone").isEqualTo("404");
    }
  }

  @Test
  void deleteKeepsWhatIsOutsideThePrefixAndABucketItDidNotCreate() {
    String bucket = RgwBuckets.uniqueBucket("keep");
    TurboCache cr = RgwBuckets.managed(rgw, bucket);
    sync(cr);
    try (S3Client s3 = rgw.s3(operator)) {
      s3.putObject(b -> b.bucket(bucket).key("turbo/team/a"), RequestBody.fromString("x"));
      s3.putObject(b -> b.bucket(bucket).key("turbo-other/b"), RequestBody.fromString("y"));
    }
    try (BucketClient client = RgwBuckets.clients(operator).open(ResolvedSpec.of(cr).s3())) {
      assertThat(new BucketDeletion(1000, 10).step(client, bucket, "turbo/", true, 0).done()).isTrue();
    }
    try (S3Client s3 = rgw.s3(operator)) {
      assertThat(s3.listObjectsV2(b -> b.bucket(bucket)).contents()).extracting(S3Object::key).containsExactly("turbo-other/b");
      s3.deleteObject(b -> b.bucket(bucket).key("turbo-other/b"));
    }
    try (BucketClient client = RgwBuckets.clients(operator).open(ResolvedSpec.of(cr).s3())) {
      assertThat(new BucketDeletion(1000, 10).step(client, bucket, "turbo/", false, 0).done()).isTrue();
    }
    try (S3Client s3 = rgw.s3(operator)) {
      s3.headBucket(b -> b.bucket(bucket));
    }
  }

  @Test
  void aDeletionS3RefusesFailsWithTheCodeAndSucceedsOnceAllowed() {
    String bucket = RgwBuckets.uniqueBucket("refused");
    TurboCache cr = RgwBuckets.managed(rgw, bucket);
    sync(cr);
    String denyDelete = """
        {"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":{"AWS":["arn:aws:iam:::user/%s"]},
        "Action":["s3:DeleteObject"],"Resource":["arn:aws:s3:::%s/*"]}]}""".formatted(operator.uid(), bucket);
    try (S3Client s3 = rgw.s3(operator)) {
      s3.putObject(b -> b.bucket(bucket).key("turbo/team/a"), RequestBody.fromString("x"));
      s3.putBucketPolicy(b -> b.bucket(bucket).policy(denyDelete));
    }
    BucketDeletion deletion = new BucketDeletion(1000, 10);
    try (BucketClient client = RgwBuckets.clients(operator).open(ResolvedSpec.of(cr).s3())) {
      BucketDeletion.Progress refused = deletion.step(client, bucket, "turbo/", true, 0);
      assertThat(refused.phase()).isEqualTo(BucketDeletion.Phase.Failed);
      assertThat(refused.error().reason()).isEqualTo("AccessDenied");
      assertThat(refused.error().message()).contains("s3:DeleteObject");
    }
    try (S3Client s3 = rgw.s3(operator)) {
      s3.deleteBucketPolicy(b -> b.bucket(bucket));
    }
    try (BucketClient client = RgwBuckets.clients(operator).open(ResolvedSpec.of(cr).s3())) {
      assertThat(deletion.step(client, bucket, "turbo/", true, 0).done()).isTrue();
    }
    try (S3Client s3 = rgw.s3(operator)) {
      assertThat(catchCode(() -> s3.headBucket(b -> b.bucket(bucket)))).isEqualTo("404");
    }
  }

  /**
   * Deletion progress as a step-by-step count: never down, at most {@code batch} per step, with at
   * least one step between none and {@code total}, ending at {@code total}.
   */
  static void assertBatches(List<Long> progress, long total, long batch) {
    assertThat(progress).isNotEmpty();
    assertThat(progress.get(progress.size() - 1)).isEqualTo(total);
    assertThat(progress).anyMatch(n -> n > 0 && n < total);
    for (int i = 1; i < progress.size(); i++) {
      assertThat(progress.get(i) - progress.get(i - 1)).as("step %s of %s", i, progress).isBetween(0L, batch);
    }
  }

  /** The error code S3 answered (the HTTP status when it gave none), or null when the call succeeded. */
  static String catchCode(Runnable call) {
    try {
      call.run();
      return null;
    } catch (NoSuchBucketException e) {
      return "404";
    } catch (S3Exception e) {
      String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
      return code == null ? String.valueOf(e.statusCode()) : code;
    }
  }
}
