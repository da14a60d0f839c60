package dev.turbocache.operator.bucket;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turbocache.operator.TestResources;
import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.api.v1alpha1.spec.S3EncryptionSpec;
import dev.turbocache.operator.model.ResolvedSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cache servers' policy grants exactly what the s3 tier calls, on the prefix only. */
class IamPolicyTest {
  static final ObjectMapper JSON = new ObjectMapper();

  static TurboCache cache(String prefix) {
    TurboCache cr = TestResources.withS3(TestResources.minimal(), TestResources.S3Auth.ROLE_ARN);
    cr.getSpec().tiers.s3.prefix = prefix;
    return cr;
  }

  static JsonNode policy(TurboCache cr) throws Exception {
    return JSON.readTree(IamPolicy.render(ResolvedSpec.of(cr).s3()));
  }

  static JsonNode statement(JsonNode policy, String sid) {
    for (JsonNode s : policy.get("Statement")) {
      if (s.get("Sid").asText().equals(sid)) {
        return s;
      }
    }
    throw new AssertionError("no statement " + sid + " in " + policy);
  }

  static List<String> texts(JsonNode node) {
    List<String> out = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(n -> out.add(n.asText()));
    } else {
      out.add(node.asText());
    }
    return out;
  }

  @Test
  void listingIsScopedToThePrefixAndObjectAccessToTheObjectsUnderIt() throws Exception {
    JsonNode p = policy(cache("turbo"));
    assertThat(p.get("Version").asText()).isEqualTo("2012-10-17");
    JsonNode list = statement(p, "ListTheCachePrefix");
    assertThat(texts(list.get("Action"))).containsExactly("s3:ListBucket");
    assertThat(texts(list.get("Resource"))).containsExactly("arn:aws:s3:::acme-turbo-cache");
    assertThat(texts(list.at("/Condition/StringLike/s3:prefix"))).as("prefix normalized like the server").containsExactly("turbo/*");

    JsonNode rw = statement(p, "ReadAndWriteArtifacts");
    assertThat(texts(rw.get("Action")))
        .containsExactly("s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts");
    assertThat(texts(rw.get("Resource"))).containsExactly("arn:aws:s3:::acme-turbo-cache/turbo/*");
    JsonNode delete = statement(p, "DeleteArtifactsForPurgeAndGc");
    assertThat(texts(delete.get("Action"))).containsExactly("s3:DeleteObject");
    assertThat(texts(delete.get("Resource"))).containsExactly("arn:aws:s3:::acme-turbo-cache/turbo/*");
  }

  @Test
  void nothingBeyondTheCacheServersCalls() throws Exception {
    JsonNode p = policy(cache("turbo/"));
    List<String> actions = new ArrayList<>();
    p.get("Statement").forEach(s -> {
      assertThat(s.get("Effect").asText()).isEqualTo("Allow");
      actions.addAll(texts(s.get("Action")));
      texts(s.get("Resource")).forEach(r -> assertThat(r).doesNotContain("*:*").isNotEqualTo("*"));
    });
    assertThat(actions).containsExactlyInAnyOrder("s3:ListBucket", "s3:GetObject", "s3:PutObject",
        "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts", "s3:DeleteObject");
    assertThat(actions).noneMatch(a -> a.endsWith("*"));
  }

  @Test
  void anEmptyPrefixIsTheWholeBucketWithoutACondition() throws Exception {
    JsonNode p = policy(cache(""));
    assertThat(statement(p, "ListTheCachePrefix").has("Condition")).isFalse();
    assertThat(texts(statement(p, "ReadAndWriteArtifacts").get("Resource"))).containsExactly("arn:aws:s3:::acme-turbo-cache/*");
  }

  @Test
  void sseKmsAddsTheKeyThroughS3Only() throws Exception {
    TurboCache cr = cache("turbo/");
    cr.getSpec().tiers.s3.encryption = new S3EncryptionSpec();
    cr.getSpec().tiers.s3.encryption.type = S3EncryptionSpec.Type.SSE_KMS;
    cr.getSpec().tiers.s3.encryption.kmsKeyId = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
    JsonNode kms = statement(policy(cr), "UseTheKmsKeyThroughS3");
    assertThat(texts(kms.get("Action"))).containsExactly("kms:GenerateDataKey", "kms:Decrypt");
    assertThat(texts(kms.get("Resource"))).containsExactly("arn:aws:kms:eu-west-1:*:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0");
    assertThat(kms.at("/Condition/StringEquals/kms:ViaService").asText()).isEqualTo("s3.eu-west-1.amazonaws.com");

    String arn = "arn:aws:kms:eu-west-1:123456789012:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
    cr.getSpec().tiers.s3.encryption.kmsKeyId = arn;
    assertThat(texts(statement(policy(cr), "UseTheKmsKeyThroughS3").get("Resource"))).containsExactly(arn);

    cr.getSpec().tiers.s3.encryption.kmsKeyId = "alias/turbo-cache";
    JsonNode alias = statement(policy(cr), "UseTheKmsKeyThroughS3");
    assertThat(texts(alias.get("Resource"))).as("an alias ARN grants no key use").containsExactly("*");
    assertThat(alias.at("/Condition/ForAnyValue:StringEquals/kms:ResourceAliases").asText()).isEqualTo("alias/turbo-cache");

    cr.getSpec().tiers.s3.encryption = null;
    assertThat(policy(cr).get("Statement")).as("SSE-S3: no KMS").hasSize(3);
  }

  @Test
  void otherPartitionsGetTheirArns() throws Exception {
    TurboCache cr = cache("turbo/");
    cr.getSpec().tiers.s3.region = "cn-north-1";
    assertThat(texts(statement(policy(cr), "ListTheCachePrefix").get("Resource"))).containsExactly("arn:aws-cn:s3:::acme-turbo-cache");
    cr.getSpec().tiers.s3.region = "us-gov-west-1";
    assertThat(texts(statement(policy(cr), "ListTheCachePrefix").get("Resource"))).containsExactly("arn:aws-us-gov:s3:::acme-turbo-cache");
  }

  @Test
  void theRenderingIsDeterministic() {
    assertThat(IamPolicy.render(ResolvedSpec.of(cache("a/")).s3())).isEqualTo(IamPolicy.render(ResolvedSpec.of(cache("a/")).s3()));
  }
}
