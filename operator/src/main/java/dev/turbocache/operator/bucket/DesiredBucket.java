package dev.turbocache.operator.bucket;

import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.api.v1alpha1.spec.S3EncryptionSpec;
import dev.turbocache.operator.model.ResolvedSpec;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a Managed bucket must look like, from the spec alone: its name and region and the value of
 * every {@link BucketSection}.
 */
public record DesiredBucket(String name, String region, String keyPrefix, Map<BucketSection, SectionValue> sections) {
  public static final String TAG_OWNER = "turbocache.dev/owner";
  public static final String TAG_NAMESPACE = "turbocache.dev/namespace";
  public static final String TAG_NAME = "turbocache.dev/name";
  public static final String OWNER = "TurboCache";
  public static final String EXPIRE_RULE = "turbocache-expire-objects";
  public static final String ABORT_RULE = "turbocache-abort-incomplete-uploads";
  /** Parts of an upload that never completed are worth nothing after a day. */
  public static final int ABORT_INCOMPLETE_UPLOAD_DAYS = 1;

  public static DesiredBucket of(TurboCache cr, ResolvedSpec.S3 s3) {
    String region = s3.effectiveRegion();
    String prefix = s3.keyPrefix();
    Map<BucketSection, SectionValue> sections = new EnumMap<>(BucketSection.class);
    ResolvedSpec.PublicAccessBlock pab = s3.publicAccessBlock();
    sections.put(BucketSection.PUBLIC_ACCESS_BLOCK, new SectionValue.PublicAccessBlock(
        pab.blockPublicAcls(), pab.ignorePublicAcls(), pab.blockPublicPolicy(), pab.restrictPublicBuckets()));
    ResolvedSpec.Encryption encryption = s3.encryption();
    sections.put(BucketSection.ENCRYPTION, encryption.type() == S3EncryptionSpec.Type.SSE_KMS
        ? new SectionValue.Encryption("aws:kms", encryption.kmsKeyId(), true)
        : new SectionValue.Encryption("AES256", null, false));
    sections.put(BucketSection.LIFECYCLE, new SectionValue.Lifecycle(Set.of(
        new SectionValue.Lifecycle.Rule(EXPIRE_RULE, true, prefix, s3.retentionDays(), null, false),
        new SectionValue.Lifecycle.Rule(ABORT_RULE, true, prefix, null, ABORT_INCOMPLETE_UPLOAD_DAYS, false))));
    Map<String, String> tags = new LinkedHashMap<>(s3.tags());
    tags.put(TAG_OWNER, OWNER);
    tags.put(TAG_NAMESPACE, cr.getMetadata().getNamespace());
    tags.put(TAG_NAME, cr.getMetadata().getName());
    sections.put(BucketSection.TAGGING, new SectionValue.Tags(tags));
    sections.put(BucketSection.POLICY, SectionValue.Policy.parse(tlsOnlyPolicy(region, s3.bucket())));
    return new DesiredBucket(s3.bucket(), region, prefix, Map.copyOf(sections));
  }

  /** Denies every request to the bucket and its objects that does not come over TLS. */
  static String tlsOnlyPolicy(String region, String bucket) {
    return """
        {"Version":"%s","Statement":[{"Sid":"DenyInsecureTransport","Effect":"Deny","Principal":"*","Action":"s3:*",\
        "Resource":["%s","%s/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}"""
        .formatted(IamPolicy.VERSION, S3Arns.bucket(region, bucket), S3Arns.bucket(region, bucket));
  }

  /** The sections in the order they are kept (their enum order). */
  public List<SectionValue> values() {
    return List.of(BucketSection.values()).stream().map(sections::get).toList();
  }
}
