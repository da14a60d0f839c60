package dev.turbocache.operator.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.turbocache.operator.TestResources;
import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.api.v1alpha1.spec.DiskTierSpec;
import dev.turbocache.operator.api.v1alpha1.spec.S3CredentialsSpec;
import dev.turbocache.operator.bucket.BucketSync;
import dev.turbocache.operator.bucket.DesiredBucket;
import dev.turbocache.operator.bucket.RgwBuckets;
import dev.turbocache.operator.model.ResolvedSpec;
import dev.turbocache.operator.server.SecretEnv;
import dev.turbocache.operator.server.ServerConfigMap;
import dev.turbocache.operator.server.ServerDeployment;
import dev.turbocache.operator.server.ServerSecrets;
import dev.turbocache.server.app.CacheServer;
import dev.turbocache.server.testing.RgwExtension;
import dev.turbocache.server.testing.RgwFixture;
import io.fabric8.kubernetes.api.model.Secret;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The Managed bucket's lifecycle rules doing their work on a real S3 control plane: artifacts the
 * real cache server wrote (from the config the operator renders for a pod) expire after {@code
 * retentionDays}, the server then answers a plain miss, an upload that never completed is aborted,
 * and what lies outside the prefix stays. This proves that the operator's rule and the server's
 * key layout agree; a rule whose prefix missed the server's keys would keep every artifact
 * forever and pass every check of the rule's own fields.
 *
 * <p>A Ceph RGW of its own, whose lifecycle "day" lasts {@value #DAY_SECONDS} seconds (RGW's {@code
 * rgw lc debug interval}), so that the shared one's buckets keep their objects.
 */
class BucketLifecycleRgwIT {
  static final long DAY_SECONDS = 10;
  /** RGW's lifecycle worker runs once a "day" and expires what is older than the rule's days. */
  static final Duration EXPIRED = Duration.ofSeconds(DAY_SECONDS * 12);
  static final String S3_SECRET = "s3-keys";

  static RgwFixture rgw;
  static RgwFixture.Credentials owner;

  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @BeforeAll
  static void start() throws Exception {
    rgw = RgwFixture.start(Files.createTempDirectory("rgw-lc-"), RgwExtension.REGION, Duration.ofSeconds(DAY_SECONDS));
    owner = rgw.createUser("lifecycle-" + ProcessHandle.current().pid());
  }

  @AfterAll
  static void stop() {
    if (rgw != null) {
      rgw.close();
    }
  }

  @Test
  void artifactsExpireAfterTheRetentionDaysAndAreMissesThenWhileTheRestOfTheBucketStays(@TempDir Path tmp)
      throws Exception {
    String bucket = RgwBuckets.uniqueBucket("lifecycle");
    TurboCache cr = RgwBuckets.managed(rgw, bucket);
    cr.getSpec().tiers.s3.retentionDays = 1;
    cr.getSpec().tiers.s3.credentials = new S3CredentialsSpec();
    cr.getSpec().tiers.s3.credentials.secretRef = new S3CredentialsSpec.NameRef();
    cr.getSpec().tiers.s3.credentials.secretRef.name = S3_SECRET;
    cr.getSpec().tiers.disk = new DiskTierSpec();
    cr.getSpec().tiers.disk.enabled = false;
    ResolvedSpec.S3 s3 = ResolvedSpec.of(cr).s3();
    try (var client = RgwBuckets.clients(owner).open(s3)) {
      assertThat(BucketSync.run(client, DesiredBucket.of(cr, s3)).ok()).isTrue();
    }

    List<Secret> secrets = List.of(
        TestResources.secret(TestResources.TOKENS, Map.of("tokens.yaml", UserSecrets.TOKENS_YAML)),
        TestResources.secret(S3_SECRET, Map.of(
            SecretEnv.AWS_ACCESS_KEY_ID, owner.accessKey(), SecretEnv.AWS_SECRET_ACCESS_KEY, owner.secretKey())));
    RenderedPod pod = RenderedPod.materialize(ServerDeployment.desired(cr, ServerSecrets.observe(cr, secrets)),
        ServerConfigMap.desired(cr), secrets, tmp.resolve("pod"));
    try (CacheServer server = CacheServer.start(pod.load()); S3Client asOwner = rgw.s3(owner)) {
      String artifact = "http://127.0.0.1:" + server.port() + "/v8/artifacts/0123456789abcdef?slug=" + UserSecrets.TEAM;
      assertThat(send(HttpRequest.newBuilder(URI.create(artifact)).PUT(HttpRequest.BodyPublishers.ofString("built once"))))
          .isEqualTo(202);
      asOwner.putObject(b -> b.bucket(bucket).key("private/keep.txt"), RequestBody.fromString("not the cache's"));
      String uploadId = asOwner.createMultipartUpload(b -> b.bucket(bucket).key("turbo/" + UserSecrets.TEAM + "/partial"))
          .uploadId();
      asOwner.uploadPart(b -> b.bucket(bucket).key("turbo/" + UserSecrets.TEAM + "/partial").uploadId(uploadId).partNumber(1),
          RequestBody.fromString("half an upload"));
      assertThat(keys(asOwner, bucket, "turbo/")).as("the server's upload, under the rule's prefix")
          .containsExactly("turbo/" + UserSecrets.TEAM + "/0123456789abcdef");
      assertThat(openUploads(asOwner, bucket)).containsExactly(uploadId);

      await("the artifact expired and the open upload is aborted").atMost(EXPIRED).pollInterval(Duration.ofSeconds(2))
          .until(() -> keys(asOwner, bucket, "turbo/").isEmpty() && openUploads(asOwner, bucket).isEmpty());
      assertThat(send(HttpRequest.newBuilder(URI.create(artifact)).GET())).as("an expired artifact is a miss").isEqualTo(404);
      assertThat(keys(asOwner, bucket, "private/")).as("outside the prefix, untouched").containsExactly("private/keep.txt");
    }
  }

  int send(HttpRequest.Builder request) throws Exception {
    return http.send(request.header("Authorization", "Bearer " + UserSecrets.TOKEN).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  static List<String> keys(S3Client s3, String bucket, String prefix) {
    return s3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix)).contents().stream().map(S3Object::key).toList();
  }

  static List<String> openUploads(S3Client s3, String bucket) {
    return s3.listMultipartUploads(b -> b.bucket(bucket)).uploads().stream().map(MultipartUpload::uploadId).toList();
  }
}
