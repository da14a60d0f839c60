package dev.turbocache.operator.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turbocache.operator.TestResources;
import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.api.v1alpha1.spec.DiskTierSpec;
import dev.turbocache.operator.api.v1alpha1.spec.S3CredentialsSpec;
import dev.turbocache.operator.bucket.BucketSync;
import dev.turbocache.operator.bucket.DesiredBucket;
import dev.turbocache.operator.bucket.IamPolicy;
import dev.turbocache.operator.bucket.RgwBuckets;
import dev.turbocache.operator.model.ResolvedSpec;
import dev.turbocache.operator.server.SecretEnv;
import dev.turbocache.operator.server.ServerConfigMap;
import dev.turbocache.operator.server.ServerDeployment;
import dev.turbocache.operator.server.ServerSecrets;
import dev.turbocache.server.e2e.FixtureRepo;
import dev.turbocache.server.e2e.TurboCli;
import dev.turbocache.server.e2e.TurboInstallation;
import dev.turbocache.server.e2e.TurboSummary;
import dev.turbocache.server.app.CacheServer;
import dev.turbocache.server.testing.RgwExtension;
import dev.turbocache.server.testing.RgwFixture;
import io.fabric8.kubernetes.api.model.Secret;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The least-privilege policy proven by behaviour on a real S3 control plane (Ceph RGW 16; its
 * IamClient cannot read policies back, and that would prove nothing anyway). The operator creates
 * and configures a Managed bucket with its own RGW user; the rendered {@link IamPolicy} is attached
 * to another user that does not own the bucket (an owner has full control whatever its policy
 * says); the real cache server starts from exactly what the operator renders for a pod (config,
 * environment, mounts; {@link RenderedPod}) with that user's keys and tiers memory + s3; the real
 * turbo CLI gets misses, uploads, and remote hits served from the bucket; an admin purge empties
 * the prefix; and the same keys are refused everywhere outside the prefix.
 *
 * <p>RGW 16 answers 403, not 404, for a missing key under a prefix-conditioned s3:ListBucket (AWS
 * evaluates the condition with the key as s3:prefix and answers 404); the server counts that lookup
 * as a failed one, so turbo still sees a miss.
 */
@ExtendWith(RgwExtension.class)
class LeastPrivilegeRgwIT {
  static final String ADMIN_TOKEN = "least-privilege-admin-token-77c1";
  static final String S3_SECRET = "s3-keys";
  static RgwFixture rgw;
  static RgwFixture.Credentials owner;
  static RgwFixture.Credentials cacheUser;

  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @BeforeAll
  static void users(RgwFixture fixture) {
    TurboInstallation.turboBinary();
    rgw = fixture;
    owner = rgw.createUser("bucket-owner-" + ProcessHandle.current().pid());
    cacheUser = rgw.createUser("cache-server-" + ProcessHandle.current().pid());
  }

  static TurboCache cache(String bucket) {
    TurboCache cr = RgwBuckets.managed(rgw, bucket);
    cr.getSpec().tiers.s3.credentials = new S3CredentialsSpec();
    cr.getSpec().tiers.s3.credentials.secretRef = new S3CredentialsSpec.NameRef();
    cr.getSpec().tiers.s3.credentials.secretRef.name = S3_SECRET;
    cr.getSpec().tiers.disk = new DiskTierSpec();
    cr.getSpec().tiers.disk.enabled = false;
    return cr;
  }

  /** What the user creates: the tokens (a readwrite one for turbo, an admin one for purge) and the s3 keys. */
  static List<Secret> secrets() {
    String tokens = UserSecrets.TOKENS_YAML
        + "  - {name: ops, token: \"" + ADMIN_TOKEN + "\", teams: [\"*\"], access: admin}\n";
    return List.of(
        TestResources.secret(TestResources.TOKENS, Map.of("tokens.yaml", tokens)),
        TestResources.secret(S3_SECRET, Map.of(
            SecretEnv.AWS_ACCESS_KEY_ID, cacheUser.accessKey(), SecretEnv.AWS_SECRET_ACCESS_KEY, cacheUser.secretKey())));
  }

  @Test
  void theRenderedPolicyIsEnoughForTurboAndPurgeAndNothingMore(@TempDir Path tmp) throws Exception {
    String bucket = RgwBuckets.uniqueBucket("least");
    String elsewhere = RgwBuckets.uniqueBucket("elsewhere");
    TurboCache cr = cache(bucket);
    ResolvedSpec.S3 s3 = ResolvedSpec.of(cr).s3();
    try (var client = RgwBuckets.clients(owner).open(s3)) {
      assertThat(BucketSync.run(client, DesiredBucket.of(cr, s3)).ok()).isTrue();
    }
    rgw.createBucket(owner, elsewhere);
    try (S3Client asOwner = rgw.s3(owner)) {
      asOwner.putObject(b -> b.bucket(bucket).key("private/secret.txt"), RequestBody.fromString("not for the cache"));
    }
    try (IamClient iam = RgwBuckets.iam(rgw)) {
      iam.putUserPolicy(b -> b.userName(cacheUser.uid()).policyName("turbocache").policyDocument(IamPolicy.render(s3)));
    }

    List<Secret> secrets = secrets();
    RenderedPod pod = RenderedPod.materialize(ServerDeployment.desired(cr, ServerSecrets.observe(cr, secrets)),
        ServerConfigMap.desired(cr), secrets, tmp.resolve("pod"));
    assertThat(pod.load().storage().tiers()).containsExactly("memory", "s3");
    assertThat(pod.load().storage().s3().accessKeyId()).isEqualTo(cacheUser.accessKey());
    try (CacheServer server = CacheServer.start(pod.load())) {
      String api = "http://127.0.0.1:" + server.port();
      FixtureRepo repo = FixtureRepo.create(tmp.resolve("repo"));
      TurboCli turbo = new TurboCli(repo.root(), tmp.resolve("turbo-home")).remote(api, UserSecrets.TOKEN, UserSecrets.TEAM);

      TurboSummary cold = RenderedServerTurboTest.build(turbo);
      assertThat(cold.tasks()).allSatisfy(t -> assertThat(t.isMiss()).as("%s", t).isTrue());
      try (S3Client asOwner = rgw.s3(owner)) {
        assertThat(keys(asOwner, bucket, "turbo/")).as("uploads reached the bucket, under the prefix")
            .containsExactlyInAnyOrderElementsOf(cold.hashes().stream().map(h -> "turbo/" + UserSecrets.TEAM + "/" + h).toList());
      }

      // uploads skip the memory tier (it fills from reads), so these hits come from the bucket
      repo.wipeLocalState();
      TurboSummary warm = RenderedServerTurboTest.build(turbo);
      assertThat(warm.tasks()).allSatisfy(t -> assertThat(t.isRemoteHit()).as("%s", t).isTrue());

      HttpResponse<String> purge = http.send(HttpRequest.newBuilder(URI.create(api + "/admin/purge"))
          .header("Authorization", "Bearer " + ADMIN_TOKEN).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"olderThan\":\"0s\"}")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(purge.statusCode()).as(purge.body()).isEqualTo(200);
      try (S3Client asOwner = rgw.s3(owner)) {
        assertThat(keys(asOwner, bucket, "turbo/")).as("purged").isEmpty();
        assertThat(keys(asOwner, bucket, "private/")).as("outside the prefix, untouched").containsExactly("private/secret.txt");
      }
    }

    try (S3Client asCache = rgw.s3(cacheUser)) {
      assertThat(status(() -> asCache.putObject(b -> b.bucket(bucket).key("turbo/acme/ok"), RequestBody.fromString("x"))))
          .as("inside the prefix").isEqualTo(200);
      assertThat(status(() -> asCache.putObject(b -> b.bucket(bucket).key("private/x"), RequestBody.fromString("x")))).isEqualTo(403);
      assertThat(status(() -> asCache.putObject(b -> b.bucket(bucket).key("turbox"), RequestBody.fromString("x")))).isEqualTo(403);
      assertThat(status(() -> asCache.getObjectAsBytes(b -> b.bucket(bucket).key("private/secret.txt")))).isEqualTo(403);
      assertThat(status(() -> asCache.deleteObject(b -> b.bucket(bucket).key("private/secret.txt")))).isEqualTo(403);
      assertThat(status(() -> asCache.listObjectsV2(b -> b.bucket(bucket)))).as("listing the whole bucket").isEqualTo(403);
      assertThat(status(() -> asCache.listObjectsV2(b -> b.bucket(bucket).prefix("private/")))).isEqualTo(403);
      assertThat(status(() -> asCache.putObject(b -> b.bucket(elsewhere).key("turbo/acme/x"), RequestBody.fromString("x"))))
          .as("another bucket").isEqualTo(403);
      assertThat(status(() -> asCache.putBucketTagging(b -> b.bucket(bucket).tagging(t -> t.tagSet(x -> x.key("k").value("v"))))))
          .as("bucket configuration").isEqualTo(403);
      assertThat(status(() -> asCache.deleteBucketPolicy(b -> b.bucket(bucket)))).isEqualTo(403);
      assertThat(status(() -> asCache.deleteBucket(b -> b.bucket(elsewhere)))).isEqualTo(403);
    }
  }

  static List<String> keys(S3Client s3, String bucket, String prefix) {
    return s3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix)).contents().stream().map(S3Object::key).toList();
  }

  /** 200 when the call succeeds, else the HTTP status S3 answered. */
  static int status(Runnable call) {
    try {
      call.run();
      return 200;
    } catch (S3Exception e) {
      return e.statusCode();
    }
  }
}
