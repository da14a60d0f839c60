package dev.turbocache.operator.bucket;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.turbocache.operator.api.v1alpha1.spec.S3EncryptionSpec;
import dev.turbocache.operator.model.ResolvedSpec;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The least-privilege IAM policy the cache servers need for the s3 tier, for the role (IRSA, Pod
 * Identity) or user whose keys they get. Each statement is there because the server calls it:
 *
 * <ul>
 *   <li>{@code s3:ListBucket} on the bucket, only for listings under the prefix: the server lists
 *       teams and artifacts there, and S3 answers 404 rather than 403 for a missing key only to a
 *       principal that may list it (a cache must tell a miss from a refusal);
 *   <li>{@code s3:GetObject}, {@code s3:PutObject} and, for multipart uploads, {@code
 *       s3:AbortMultipartUpload} and {@code s3:ListMultipartUploadParts} on the objects under the
 *       prefix;
 *   <li>{@code s3:DeleteObject} on the same objects, in its own statement: only the admin API's
 *       delete and purge and the {@code gc} command delete (expiry is the bucket's lifecycle rule);
 *   <li>with SSE-KMS, {@code kms:GenerateDataKey} (uploads) and {@code kms:Decrypt} (downloads) on
 *       the key, through S3 only.
 * </ul>
 *
 * Nothing else: no bucket configuration, no other prefix, no bucket deletion.
 */
public final class IamPolicy {
  public static final String VERSION = "2012-10-17";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private IamPolicy() {}

  /** The policy document (pretty JSON, deterministic for equal input). */
  public static String render(ResolvedSpec.S3 s3) {
    String region = s3.effectiveRegion();
    String prefix = s3.keyPrefix();
    List<Map<String, Object>> statements = new ArrayList<>();
    Map<String, Object> list = statement("ListTheCachePrefix", List.of("s3:ListBucket"), S3Arns.bucket(region, s3.bucket()));
    if (!prefix.isEmpty()) {
      list.put("Condition", Map.of("StringLike", Map.of("s3:prefix", List.of(prefix + "*"))));
    }
    statements.add(list);
    String objects = S3Arns.objects(region, s3.bucket(), prefix);
    statements.add(statement("ReadAndWriteArtifacts",
        List.of("s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"), objects));
    statements.add(statement("DeleteArtifactsForPurgeAndGc", List.of("s3:DeleteObject"), objects));
    ResolvedSpec.Encryption encryption = s3.encryption();
    if (encryption != null && encryption.type() == S3EncryptionSpec.Type.SSE_KMS && encryption.kmsKeyId() != null) {
      statements.add(kms(region, encryption.kmsKeyId()));
    }
    Map<String, Object> policy = new LinkedHashMap<>();
    policy.put("Version", VERSION);
    policy.put("Statement", statements);
    try {
      return JSON.writeValueAsString(policy);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An alias grants nothing as a resource: the key is then matched by its alias instead. */
  private static Map<String, Object> kms(String region, String keyId) {
    boolean alias = keyId.startsWith("alias/");
    Map<String, Object> s = statement("UseTheKmsKeyThroughS3", List.of("kms:GenerateDataKey", "kms:Decrypt"),
        alias ? "*" : S3Arns.kmsKey(region, keyId));
    Map<String, Object> condition = new LinkedHashMap<>();
    condition.put("StringEquals", Map.of("kms:ViaService", "s3." + region + ".amazonaws.com"));
    if (alias) {
      condition.put("ForAnyValue:StringEquals", Map.of("kms:ResourceAliases", keyId));
    }
    s.put("Condition", condition);
    return s;
  }

  private static Map<String, Object> statement(String sid, List<String> actions, String resource) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("Sid", sid);
    s.put("Effect", "Allow");
    s.put("Action", actions);
    s.put("Resource", resource);
    return s;
  }
}
