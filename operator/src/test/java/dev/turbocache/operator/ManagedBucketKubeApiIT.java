package dev.turbocache.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.api.v1alpha1.spec.S3TierSpec;
import dev.turbocache.operator.bucket.BucketDeletion;
import dev.turbocache.operator.bucket.DesiredBucket;
import dev.turbocache.operator.bucket.IamPolicy;
import dev.turbocache.operator.bucket.IamPolicyConfigMap;
import dev.turbocache.operator.bucket.ManagedBuckets;
import dev.turbocache.operator.bucket.RgwBuckets;
import dev.turbocache.operator.bucket.SdkBucketClients;
import dev.turbocache.operator.kubeapi.Cluster;
import dev.turbocache.operator.kubeapi.OperatorIdentity;
import dev.turbocache.operator.kubeapi.RealApiServer;
import dev.turbocache.operator.kubeapi.RealApiServerExtension;
import dev.turbocache.operator.kubeapi.ReconcileCounter;
import dev.turbocache.operator.model.ResolvedSpec;
import dev.turbocache.server.testing.RgwExtension;
import dev.turbocache.server.testing.RgwFixture;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.Operator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * The operator in production mode on a real Kubernetes 1.26 API server (the install manifest's
 * RBAC) with Managed buckets on a real S3 control plane (Ceph RGW 16). Its AWS credentials come the
 * production way: a Secret in its namespace named by TURBOCACHE_AWS_CREDENTIALS_SECRET, holding the
 * keys of an RGW user of its own. The resync interval is a few seconds, so drift is corrected by the
 * periodic resync alone.
 */
@ExtendWith({RealApiServerExtension.class, RgwExtension.class})
class ManagedBucketKubeApiIT {
  static final Duration RECONCILED = Duration.ofSeconds(60);
  static final Duration RESYNC = Duration.ofSeconds(3);
  static final String CREDENTIALS_SECRET = "turbocache-operator-aws";
  static KubernetesClient admin;
  static OperatorIdentity identity;
  static RgwFixture rgw;
  static RgwFixture.Credentials operatorUser;

  String ns;
  KubernetesClient operatorClient;
  Operator operator;
  ReconcileCounter reconciles;

  @BeforeAll
  static void cluster(RealApiServer api, RgwFixture fixture) {
    admin = api.admin();
    Cluster.installCrds(admin);
    identity = OperatorIdentity.install(api);
    rgw = fixture;
    operatorUser = rgw.createUser("k8s-operator-" + ProcessHandle.current().pid());
    Cluster.apply(admin, TestResources.secret(identity.namespace(), CREDENTIALS_SECRET, Map.of(
        SdkBucketClients.ACCESS_KEY_ID, operatorUser.accessKey(),
        SdkBucketClients.SECRET_ACCESS_KEY, operatorUser.secretKey())));
  }

  @BeforeEach
  void startOperator() {
    ns = Cluster.createNamespace(admin, "bucket");
    startOperator(new BucketDeletion(10, 1));
  }

  /** Deleting 10 objects per step, so that a deletion takes several steps and shows its progress. */
  void startOperator(BucketDeletion deletion) {
    operatorClient = identity.client();
    reconciles = new ReconcileCounter();
    OperatorSettings settings = new OperatorSettings(Set.of(ns), false, false, "unused", identity.namespace(), true, 0,
        CREDENTIALS_SECRET, RESYNC);
    ManagedBuckets buckets = new ManagedBuckets(
        SdkBucketClients.fromSecret(operatorClient, identity.namespace(), CREDENTIALS_SECRET), RESYNC, deletion);
    operator = TurboCacheOperator.create(operatorClient, settings, reconciles,
        TurboCacheOperator.Externals.of(operatorClient, settings, null).withBuckets(buckets));
    operator.start();
  }

  @AfterEach
  void stopOperator() {
    if (operator != null) {
      operator.stop();
      operatorClient.close();
    }
  }

  TurboCache create(TurboCache cr) {
    return Cluster.applyWithSecrets(admin, cr, ns);
  }

  LiveTurboCache cache() {
    return new LiveTurboCache(admin, ns, TestResources.NAME);
  }

  String reason(String condition) {
    return cache().condition(condition).map(c -> c.getReason()).orElse(null);
  }

  void awaitBucketReady() {
    await("BucketReady").atMost(RECONCILED).until(() -> cache().statusCurrent() && cache().conditionIs("BucketReady", "True"));
  }

  @Test
  void aManagedBucketIsCreatedAndConfiguredAndItsPolicyIsInTheStatusAndAConfigMap() {
    String bucket = RgwBuckets.uniqueBucket("k8s-create");
    TurboCache cr = RgwBuckets.managed(rgw, bucket);
    cr.getSpec().tiers.s3.tags = Map.of("team", "build");
    create(cr);
    awaitBucketReady();

    TurboCache live = cache().get();
    assertThat(live.getMetadata().getFinalizers()).as("JOSDK's finalizer").containsExactly("turbocaches.turbocache.dev/finalizer");
    assertThat(live.getStatus().bucket.name).isEqualTo(bucket);
    assertThat(live.getStatus().bucket.region).isEqualTo(rgw.region());
    assertThat(live.getStatus().bucket.createdByOperator).isTrue();
    String policy = IamPolicy.render(ResolvedSpec.of(live).s3());
    assertThat(live.getStatus().bucket.iamPolicy).isEqualTo(policy);
    ConfigMap configMap = admin.configMaps().inNamespace(ns).withName("monorepo-iam-policy").get();
    assertThat(configMap.getData()).containsEntry(IamPolicyConfigMap.POLICY_KEY, policy);
    assertThat(configMap.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo(live.getMetadata().getUid()));
    assertThat(reason("Warnings")).isEqualTo("NotImplemented");
    assertThat(cache().condition("Warnings").orElseThrow().getMessage()).contains("GetBucketEncryption");
    assertThat(cache().conditionIs("Degraded", "False")).isTrue();
    try (S3Client s3 = rgw.s3(operatorUser)) {
      assertThat(s3.getBucketTagging(b -> b.bucket(bucket)).tagSet()).extracting(Tag::key)
          .contains("team", DesiredBucket.TAG_OWNER, DesiredBucket.TAG_NAMESPACE);
    }
  }

  @Test
  void driftIsCorrectedByThePeriodicResyncAloneAndThenNothingChanges() {
    String bucket = RgwBuckets.uniqueBucket("k8s-drift");
    create(RgwBuckets.managed(rgw, bucket));
    awaitBucketReady();
    long generation = cache().get().getMetadata().getGeneration();

    try (S3Client s3 = rgw.s3(operatorUser)) {
      s3.putBucketTagging(b -> b.bucket(bucket).tagging(t -> t.tagSet(Tag.builder().key("owner").value("someone").build())));
      s3.deleteBucketPolicy(b -> b.bucket(bucket));
      // until then GetBucketPolicy answers 404 NoSuchBucketPolicy
      await("tags and policy restored without a spec change").atMost(RECONCILED).ignoreExceptionsInstanceOf(S3Exception.class)
          .untilAsserted(() -> {
        assertThat(s3.getBucketTagging(b -> b.bucket(bucket)).tagSet()).extracting(Tag::key)
            .containsExactlyInAnyOrder(DesiredBucket.TAG_OWNER, DesiredBucket.TAG_NAMESPACE, DesiredBucket.TAG_NAME);
        assertThat(s3.getBucketPolicy(b -> b.bucket(bucket)).policy()).contains("aws:SecureTransport");
      });
    }
    assertThat(cache().get().getMetadata().getGeneration()).isEqualTo(generation);

    String version = cache().get().getMetadata().getResourceVersion();
    int before = reconciles.finished();
    await("two more resyncs").atMost(RECONCILED).until(() -> reconciles.finished() >= before + 2);
    assertThat(cache().get().getMetadata().getResourceVersion()).as("no status patch when nothing changed").isEqualTo(version);
  }

  @Test
  void deletionPolicyDeleteEmptiesTheBucketStepByStepAndKeepsTheFinalizerWhileItFails() throws Exception {
    String bucket = RgwBuckets.uniqueBucket("k8s-delete");
    TurboCache cr = RgwBuckets.managed(rgw, bucket);
    cr.getSpec().tiers.s3.deletionPolicy = S3TierSpec.DeletionPolicy.Delete;
    create(cr);
    awaitBucketReady();
    // refused through the operator user's own IAM policy: the operator keeps the bucket policy
    // (a resync would restore it) but never touches its user's policies
    String denyDelete = """
        {"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":["s3:DeleteObject"],"Resource":["arn:aws:s3:::%s/*"]}]}"""
        .formatted(bucket);
    try (S3Client s3 = rgw.s3(operatorUser)) {
      for (int i = 0; i < 25; i++) {
        int n = i;
        s3.putObject(b -> b.bucket(bucket).key("turbo/team/" + n), RequestBody.fromString("artifact"));
      }
    }
    try (IamClient iam = RgwBuckets.iam(rgw)) {
      iam.putUserPolicy(b -> b.userName(operatorUser.uid()).policyName("deny-delete").policyDocument(denyDelete));
    }
    List<Long> progress = new CopyOnWriteArrayList<>();
    try (Watch watch = admin.resources(TurboCache.class).inNamespace(ns).withName(TestResources.NAME).watch(new Watcher<>() {
      @Override
      public void eventReceived(Action action, TurboCache resource) {
        if (resource.getStatus() != null && resource.getStatus().bucket != null && resource.getStatus().bucket.deletion != null) {
          progress.add(resource.getStatus().bucket.deletion.objectsDeleted);
        }
      }

      @Override
      public void onClose(WatcherException cause) {}
    })) {
      admin.resource(cache().get()).delete();

      await("the refused deletion in the status").atMost(RECONCILED).until(() -> "AccessDenied".equals(reason("BucketReady")));
      assertThat(cache().get().getMetadata().getFinalizers()).as("the finalizer stays").isNotEmpty();
      assertThat(cache().get().getStatus().bucket.deletion.phase).isEqualTo("Failed");
      assertThat(cache().condition("Degraded").orElseThrow().getMessage()).contains("s3:DeleteObject");

      try (IamClient iam = RgwBuckets.iam(rgw)) {
        iam.deleteUserPolicy(b -> b.userName(operatorUser.uid()).policyName("deny-delete"));
      }
      await("the TurboCache is gone once the bucket is").atMost(RECONCILED).until(() -> cache().get() == null);
    }
    // the last step (all 25 gone) removes the finalizer instead of writing the status
    assertThat(progress).as("progress in the status, step by step").anyMatch(n -> n > 0 && n < 25)
        .allMatch(n -> n <= 25);
    for (int i = 1; i < progress.size(); i++) {
      assertThat(progress.get(i) - progress.get(i - 1)).as("%s", progress).isBetween(0L, 10L);
    }
    try (S3Client s3 = rgw.s3(operatorUser)) {
      assertThat(headBucket(s3, bucket)).as("the bucket it created is deleted").isFalse();
    }
  }

  @Test
  void retainAndAPausedDeletionKeepTheBucketAndItsObjects() {
    for (boolean paused : new boolean[] {false, true}) {
      String bucket = RgwBuckets.uniqueBucket(paused ? "k8s-paused" : "k8s-retain");
      TurboCache cr = RgwBuckets.managed(rgw, bucket);
      cr.getSpec().tiers.s3.deletionPolicy = paused ? S3TierSpec.DeletionPolicy.Delete : null;
      create(cr);
      awaitBucketReady();
      try (S3Client s3 = rgw.s3(operatorUser)) {
        s3.putObject(b -> b.bucket(bucket).key("turbo/team/kept"), RequestBody.fromString("artifact"));
      }
      if (paused) {
        admin.resources(TurboCache.class).inNamespace(ns).withName(TestResources.NAME)
            .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"paused\":true}}");
        await().atMost(RECONCILED).until(() -> cache().statusCurrent() && cache().conditionIs("Paused", "True"));
      }
      admin.resource(cache().get()).delete();
      await("deleted without emptying the bucket").atMost(RECONCILED).until(() -> cache().get() == null);
      try (S3Client s3 = rgw.s3(operatorUser)) {
        assertThat(s3.listObjectsV2(b -> b.bucket(bucket)).contents()).extracting(S3Object::key).containsExactly("turbo/team/kept");
      }
    }
  }

  @Test
  void aBucketAnotherAccountOwnsIsDegradedWithTheAwsCode() {
    String bucket = RgwBuckets.uniqueBucket("k8s-taken");
    RgwFixture.Credentials someoneElse = rgw.createUser("someone-" + ProcessHandle.current().pid());
    rgw.createBucket(someoneElse, bucket);
    create(RgwBuckets.managed(rgw, bucket));
    await().atMost(RECONCILED).until(() -> cache().statusCurrent() && "BucketAlreadyExists".equals(reason("BucketReady")));
    assertThat(cache().conditionIs("BucketReady", "False")).isTrue();
    assertThat(reason("Degraded")).isEqualTo("BucketAlreadyExists");
    assertThat(cache().condition("Degraded").orElseThrow().getMessage())
        .contains("AWS error code BucketAlreadyExists").contains("spec.tiers.s3.bucket");
    assertThat(cache().conditionIs("Ready", "False")).isTrue();
  }

  @Test
  void aTurboCacheFromBeforeTheFinalizerKeepsReconcilingAndIsStillDeleted() {
    operator.stop();
    operatorClient.close();
    operator = null;
    TurboCache created = create(TestResources.minimal());
    assertThat(created.getMetadata().getFinalizers()).isNullOrEmpty();
    long generation = created.getMetadata().getGeneration();

    startOperator(new BucketDeletion(BucketDeletion.MAX_PAGE, 10));
    await("finalizer added, status written").atMost(RECONCILED)
        .until(() -> cache().statusCurrent() && !cache().get().getMetadata().getFinalizers().isEmpty());
    TurboCache live = cache().get();
    assertThat(live.getMetadata().getGeneration()).as("the spec is untouched").isEqualTo(generation);
    assertThat(cache().deployment()).isNotNull();

    // kubectl apply --server-side of the user's unchanged file must not take the finalizer away
    TurboCache reapplied = TestResources.minimal();
    reapplied.getMetadata().setNamespace(ns);
    Cluster.apply(admin, reapplied);
    assertThat(cache().get().getMetadata().getFinalizers()).isEqualTo(live.getMetadata().getFinalizers());

    admin.resource(cache().get()).delete();
    await("deletion completes").atMost(RECONCILED).until(() -> cache().get() == null);
  }

  /** HeadBucket: true when the bucket exists, false on 404. */
  static boolean headBucket(S3Client s3, String bucket) {
    try {
      s3.headBucket(b -> b.bucket(bucket));
      return true;
    } catch (NoSuchBucketException e) {
      return false;
    }
  }
}
