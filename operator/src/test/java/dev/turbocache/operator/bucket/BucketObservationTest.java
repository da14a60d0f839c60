package dev.turbocache.operator.bucket;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turbocache.operator.TestResources;
import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.api.v1alpha1.TurboCacheStatus;
import dev.turbocache.operator.api.v1alpha1.spec.S3EncryptionSpec;
import dev.turbocache.operator.api.v1alpha1.spec.S3TierSpec;
import dev.turbocache.operator.model.ResolvedSpec;
import dev.turbocache.operator.server.ServerObservation;
import dev.turbocache.operator.status.ComponentObservation;
import dev.turbocache.operator.status.TurboCacheStatusAggregator;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** BucketReady, Degraded and Warnings from what the bucket step did, through the real aggregator. */
class BucketObservationTest {
  final TurboCacheStatusAggregator aggregator =
      new TurboCacheStatusAggregator(Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC));

  static TurboCache managed() {
    TurboCache cr = TestResources.withS3(TestResources.minimal(), TestResources.S3Auth.ROLE_ARN);
    cr.getSpec().tiers.s3.provisioning = S3TierSpec.Provisioning.Managed;
    return cr;
  }

  static ResolvedSpec.S3 s3(TurboCache cr) {
    return ResolvedSpec.of(cr).s3();
  }

  /** With an available Deployment, so that the bucket alone decides Ready. */
  TurboCacheStatus aggregate(TurboCache cr, BucketObservation bucket) {
    var deployment = new DeploymentBuilder().withNewMetadata().withName("monorepo").withGeneration(1L).endMetadata()
        .withNewSpec().withReplicas(2).endSpec()
        .withNewStatus().withReplicas(2).withReadyReplicas(2).withAvailableReplicas(2).withUpdatedReplicas(2)
        .withObservedGeneration(1L).endStatus().build();
    List<ComponentObservation> components = List.of(
        new ServerObservation(cr, TestResources.tokens(cr, TestResources.TOKENS_YAML), deployment), bucket);
    return aggregator.aggregate(cr, components, null);
  }

  static Condition cond(TurboCacheStatus s, String type) {
    return s.conditions.stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
  }

  static BucketSync.Result result(List<BucketSection> written, List<BucketError> unsupported, List<BucketError> failures) {
    return new BucketSync.Result(false, written, unsupported, failures, null);
  }

  @Test
  void aConfiguredBucketIsReadyAndTheStatusCarriesThePolicy() throws Exception {
    TurboCache cr = managed();
    TurboCacheStatus s = aggregate(cr, BucketObservation.synced(cr, s3(cr),
        result(List.of(BucketSection.TAGGING), List.of(), List.of()), true));
    assertThat(cond(s, "BucketReady").getStatus()).isEqualTo("True");
    assertThat(cond(s, "BucketReady").getReason()).isEqualTo("Configured");
    assertThat(cond(s, "BucketReady").getMessage()).contains("acme-turbo-cache").contains("created").contains("SSE-S3")
        .contains("after 30 days").doesNotContain("corrected");
    assertThat(cond(s, "Ready").getStatus()).isEqualTo("True");
    assertThat(s.bucket.name).isEqualTo("acme-turbo-cache");
    assertThat(s.bucket.region).isEqualTo("eu-west-1");
    assertThat(s.bucket.createdByOperator).isTrue();
    assertThat(s.bucket.iamPolicyConfigMap).isEqualTo("monorepo-iam-policy");
    assertThat(new ObjectMapper().readTree(s.bucket.iamPolicy).get("Statement")).isNotEmpty();
  }

  @Test
  void anotherAccountsBucketIsTerminalDegradedWithTheAwsCode() {
    TurboCache cr = managed();
    BucketError taken = new BucketError("CreateBucket", "acme-turbo-cache", 409, "BucketAlreadyExists", null);
    BucketObservation o = BucketObservation.synced(cr, s3(cr), BucketSync.Result.fatal(taken), false);
    assertThat(o.terminal()).isTrue();
    TurboCacheStatus s = aggregate(cr, o);
    assertThat(cond(s, "BucketReady").getStatus()).isEqualTo("False");
    assertThat(cond(s, "BucketReady").getReason()).isEqualTo("BucketAlreadyExists");
    assertThat(cond(s, "Degraded").getStatus()).isEqualTo("True");
    assertThat(cond(s, "Degraded").getReason()).isEqualTo("BucketAlreadyExists");
    assertThat(cond(s, "Degraded").getMessage()).contains("AWS error code BucketAlreadyExists");
    assertThat(cond(s, "Ready").getStatus()).isEqualTo("False");
  }

  @Test
  void aSectionThatFailsDegradesButTheOthersAreStillKept() {
    TurboCache cr = managed();
    BucketError denied = new BucketError("PutBucketPolicy", "acme-turbo-cache", 403, "AccessDenied", "Access Denied");
    BucketObservation o = BucketObservation.synced(cr, s3(cr), result(List.of(BucketSection.TAGGING), List.of(), List.of(denied)), false);
    assertThat(o.terminal()).isTrue();
    TurboCacheStatus s = aggregate(cr, o);
    assertThat(cond(s, "BucketReady").getReason()).isEqualTo("AccessDenied");
    assertThat(cond(s, "Degraded").getMessage()).contains("s3:PutBucketPolicy");
    BucketError outage = new BucketError("PutBucketTagging", "acme-turbo-cache", 503, "SlowDown", null);
    assertThat(BucketObservation.synced(cr, s3(cr), result(List.of(), List.of(), List.of(outage)), false).terminal())
        .as("worth a retry soon").isFalse();
  }

  @Test
  void anApiTheEndpointLacksIsAWarningNamingItNotAFailure() {
    TurboCache cr = managed();
    BucketError lifecycle = new BucketError("PutBucketLifecycleConfiguration", "acme-turbo-cache", 501, "NotImplemented", null);
    TurboCacheStatus s = aggregate(cr, BucketObservation.synced(cr, s3(cr), result(List.of(), List.of(lifecycle), List.of()), false));
    assertThat(cond(s, "BucketReady").getStatus()).isEqualTo("True");
    assertThat(cond(s, "Degraded").getStatus()).isEqualTo("False");
    assertThat(cond(s, "Warnings").getStatus()).isEqualTo("True");
    assertThat(cond(s, "Warnings").getReason()).isEqualTo("NotImplemented");
    assertThat(cond(s, "Warnings").getMessage()).contains("PutBucketLifecycleConfiguration").contains("lifecycle rules");
  }

  @Test
  void externalBucketsWarnAboutManagedOnlySettings() {
    TurboCache cr = TestResources.withS3(TestResources.minimal(), TestResources.S3Auth.ROLE_ARN);
    TurboCacheStatus quiet = aggregate(cr, BucketObservation.external(cr, s3(cr)));
    assertThat(cond(quiet, "BucketReady").getReason()).isEqualTo("External");
    assertThat(cond(quiet, "Warnings").getStatus()).isEqualTo("False");
    assertThat(quiet.bucket.createdByOperator).isNull();

    cr.getSpec().tiers.s3.retentionDays = 7;
    cr.getSpec().tiers.s3.deletionPolicy = S3TierSpec.DeletionPolicy.Delete;
    cr.getSpec().tiers.s3.tags = Map.of("team", "build");
    cr.getSpec().tiers.s3.encryption = new S3EncryptionSpec();
    cr.getSpec().tiers.s3.encryption.type = S3EncryptionSpec.Type.SSE_KMS;
    cr.getSpec().tiers.s3.encryption.kmsKeyId = "alias/turbo";
    TurboCacheStatus s = aggregate(cr, BucketObservation.external(cr, s3(cr)));
    assertThat(cond(s, "BucketReady").getStatus()).isEqualTo("True");
    assertThat(cond(s, "Warnings").getReason()).isEqualTo("ManagedOnlySettings");
    assertThat(cond(s, "Warnings").getMessage())
        .contains("spec.tiers.s3.retentionDays, spec.tiers.s3.deletionPolicy, spec.tiers.s3.tags act only when provisioning is Managed")
        .contains("ask for SSE-KMS (key alias/turbo) with every upload");
  }

  @Test
  void deletionProgressAndFailureAreInTheStatus() {
    TurboCache cr = managed();
    TurboCacheStatus going = aggregate(cr, BucketObservation.deleting(cr, s3(cr),
        new BucketDeletion.Progress(2000, BucketDeletion.Phase.DeletingObjects, null), true));
    assertThat(going.bucket.deletion.objectsDeleted).isEqualTo(2000);
    assertThat(going.bucket.deletion.phase).isEqualTo("DeletingObjects");
    assertThat(cond(going, "BucketReady").getReason()).isEqualTo("Deleting");
    assertThat(cond(going, "Degraded").getStatus()).isEqualTo("False");

    BucketError denied = new BucketError("DeleteObjects", "acme-turbo-cache", 200, "AccessDenied", "1 of 10 not deleted");
    TurboCacheStatus failed = aggregate(cr, BucketObservation.deleting(cr, s3(cr),
        new BucketDeletion.Progress(10, BucketDeletion.Phase.Failed, denied), true));
    assertThat(failed.bucket.deletion.phase).isEqualTo("Failed");
    assertThat(cond(failed, "Degraded").getReason()).isEqualTo("AccessDenied");
    assertThat(cond(failed, "BucketReady").getMessage()).contains("keeps its finalizer").contains("s3:DeleteObject");
  }

  @Test
  void pausedCarriesTheLastConditionAndNoTierMeansDisabled() {
    TurboCache cr = managed();
    assertThat(BucketObservation.carried(cr, s3(cr), false).condition().orElseThrow().reason()).isEqualTo("Pending");
    TurboCacheStatus configured = aggregate(cr, BucketObservation.synced(cr, s3(cr), result(List.of(), List.of(), List.of()), true));
    cr.setStatus(configured);
    BucketObservation carried = BucketObservation.carried(cr, s3(cr), true);
    assertThat(carried.condition().orElseThrow().ready()).isTrue();
    assertThat(carried.condition().orElseThrow().reason()).isEqualTo("Configured");
    assertThat(carried.bucket().createdByOperator).isTrue();

    TurboCacheStatus none = aggregate(TestResources.minimal(), BucketObservation.none());
    assertThat(cond(none, "BucketReady").getReason()).isEqualTo("Disabled");
    assertThat(cond(none, "Ready").getStatus()).as("not required").isEqualTo("True");
    assertThat(none.bucket).isNull();
  }
}
