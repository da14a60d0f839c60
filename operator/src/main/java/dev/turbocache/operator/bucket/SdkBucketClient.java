package dev.turbocache.operator.bucket;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.GetBucketEncryptionResponse;
import software.amazon.awssdk.services.s3.model.LifecycleExpiration;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.LifecycleRuleFilter;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.PublicAccessBlockConfiguration;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionByDefault;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionRule;
import software.amazon.awssdk.services.s3.model.Tag;

/** {@link BucketClient} over the AWS SDK's S3 client: translation only, no decisions. */
public final class SdkBucketClient implements BucketClient {
  /** Without an answer from S3 the SDK says so in this form when no credentials were found. */
  private static final String NO_CREDENTIALS_MESSAGE = "Unable to load credentials";

  private final S3Client s3;

  public SdkBucketClient(S3Client s3) {
    this.s3 = s3;
  }

  @Override
  public boolean exists(String bucket) {
    return answers("HeadBucket", bucket, BucketError.Kind.NO_SUCH_BUCKET, () -> s3.headBucket(b -> b.bucket(bucket)));
  }

  @Override
  public boolean create(String bucket, String region) {
    return answers("CreateBucket", bucket, BucketError.Kind.ALREADY_OWNED, () -> s3.createBucket(b -> {
      b.bucket(bucket);
      // us-east-1 is the one region S3 refuses as a LocationConstraint
      if (!"us-east-1".equals(region)) {
        b.createBucketConfiguration(c -> c.locationConstraint(region));
      }
    }));
  }

  /** True when the call succeeds, false when it fails with {@code no}; any other failure is thrown. */
  private static boolean answers(String api, String bucket, BucketError.Kind no, Supplier<?> call) {
    try {
      call(api, bucket, call);
      return true;
    } catch (BucketException e) {
      if (e.error().kind() == no) {
        return false;
      }
      throw e;
    }
  }

  @Override
  public SectionState read(String bucket, BucketSection section) {
    try {
      SectionValue value = switch (section) {
        case PUBLIC_ACCESS_BLOCK -> publicAccessBlock(
            s3.getPublicAccessBlock(b -> b.bucket(bucket)).publicAccessBlockConfiguration());
        case ENCRYPTION -> encryption(s3.getBucketEncryption(b -> b.bucket(bucket)));
        case LIFECYCLE -> new SectionValue.Lifecycle(s3.getBucketLifecycleConfiguration(b -> b.bucket(bucket)).rules()
            .stream().map(SdkBucketClient::rule).collect(Collectors.toSet()));
        case TAGGING -> new SectionValue.Tags(s3.getBucketTagging(b -> b.bucket(bucket)).tagSet().stream()
            .collect(Collectors.toMap(Tag::key, Tag::value, (a, b) -> b, LinkedHashMap::new)));
        case POLICY -> SectionValue.Policy.parse(s3.getBucketPolicy(b -> b.bucket(bucket)).policy());
      };
      if (value == null) {
        // S3 answers GetBucketEncryption with a rule or 404 ServerSideEncryptionConfigurationNotFoundError;
        // an empty 200 comes from a store without the API (Ceph RGW 16 answers it with a listing).
        return new SectionState.Unsupported(new BucketError(section.readApi, bucket, 200, "NotImplemented",
            "the endpoint answered without a configuration, which S3 never does"));
      }
      return new SectionState.Present(value);
    } catch (S3Exception e) {
      BucketError error = error(section.readApi, bucket, e);
      return switch (error.kind()) {
        case NOT_CONFIGURED -> new SectionState.Absent();
        case NOT_IMPLEMENTED -> new SectionState.Unsupported(error);
        default -> new SectionState.Failed(error);
      };
    } catch (SdkClientException e) {
      return new SectionState.Failed(error(section.readApi, bucket, e));
    }
  }

  private static SectionValue.PublicAccessBlock publicAccessBlock(PublicAccessBlockConfiguration c) {
    return new SectionValue.PublicAccessBlock(
        on(c.blockPublicAcls()), on(c.ignorePublicAcls()), on(c.blockPublicPolicy()), on(c.restrictPublicBuckets()));
  }

  /** The first rule (S3 keeps exactly one); null when there is none. */
  private static SectionValue.Encryption encryption(GetBucketEncryptionResponse r) {
    if (r.serverSideEncryptionConfiguration() == null || r.serverSideEncryptionConfiguration().rules().isEmpty()) {
      return null;
    }
    ServerSideEncryptionRule rule = r.serverSideEncryptionConfiguration().rules().get(0);
    ServerSideEncryptionByDefault d = rule.applyServerSideEncryptionByDefault();
    if (d == null) {
      return null;
    }
    return new SectionValue.Encryption(d.sseAlgorithmAsString(), d.kmsMasterKeyID(), on(rule.bucketKeyEnabled()));
  }

  static SectionValue.Lifecycle.Rule rule(LifecycleRule r) {
    LifecycleRuleFilter f = r.filter();
    @SuppressWarnings("deprecation")
    String prefix = f != null && f.prefix() != null ? f.prefix() : r.prefix();
    LifecycleExpiration x = r.expiration();
    boolean more = (f != null && (f.tag() != null || f.and() != null || f.objectSizeGreaterThan() != null
            || f.objectSizeLessThan() != null))
        || (x != null && (x.date() != null || x.expiredObjectDeleteMarker() != null))
        || !r.transitions().isEmpty() || !r.noncurrentVersionTransitions().isEmpty()
        || r.noncurrentVersionExpiration() != null;
    return new SectionValue.Lifecycle.Rule(r.id(), r.status() == ExpirationStatus.ENABLED, prefix,
        x == null ? null : x.days(),
        r.abortIncompleteMultipartUpload() == null ? null : r.abortIncompleteMultipartUpload().daysAfterInitiation(),
        more);
  }

  @Override
  public void write(String bucket, SectionValue value) {
    String api = value.section().writeApi;
    call(api, bucket, () -> switch (value) {
      case SectionValue.PublicAccessBlock p -> s3.putPublicAccessBlock(b -> b.bucket(bucket)
          .publicAccessBlockConfiguration(c -> c.blockPublicAcls(p.blockPublicAcls()).ignorePublicAcls(p.ignorePublicAcls())
              .blockPublicPolicy(p.blockPublicPolicy()).restrictPublicBuckets(p.restrictPublicBuckets())));
      case SectionValue.Encryption e -> s3.putBucketEncryption(b -> b.bucket(bucket)
          .serverSideEncryptionConfiguration(c -> c.rules(ServerSideEncryptionRule.builder()
              .applyServerSideEncryptionByDefault(d -> d.sseAlgorithm(ServerSideEncryption.fromValue(e.algorithm()))
                  .kmsMasterKeyID(e.kmsKeyId()))
              .bucketKeyEnabled(e.bucketKey() ? Boolean.TRUE : null)
              .build())));
      case SectionValue.Lifecycle l -> s3.putBucketLifecycleConfiguration(b -> b.bucket(bucket)
          .lifecycleConfiguration(c -> c.rules(l.rules().stream().sorted(Comparator.comparing(
              SectionValue.Lifecycle.Rule::id)).map(SdkBucketClient::rule).toList())));
      case SectionValue.Tags t -> s3.putBucketTagging(b -> b.bucket(bucket).tagging(x -> x.tagSet(
          t.tags().entrySet().stream().sorted(Map.Entry.comparingByKey())
              .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList())));
      case SectionValue.Policy p -> s3.putBucketPolicy(b -> b.bucket(bucket).policy(p.json()));
    });
  }

  static LifecycleRule rule(SectionValue.Lifecycle.Rule r) {
    LifecycleRule.Builder b = LifecycleRule.builder()
        .id(r.id())
        .status(r.enabled() ? ExpirationStatus.ENABLED : ExpirationStatus.DISABLED)
        .filter(f -> f.prefix(r.prefix()));
    if (r.expirationDays() != null) {
      b.expiration(x -> x.days(r.expirationDays()));
    }
    if (r.abortIncompleteUploadDays() != null) {
      b.abortIncompleteMultipartUpload(a -> a.daysAfterInitiation(r.abortIncompleteUploadDays()));
    }
    return b.build();
  }

  @Override
  public Page list(String bucket, String prefix, int max, String continuation) {
    ListObjectsV2Response page = call("ListObjectsV2", bucket,
        () -> s3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix).maxKeys(max).continuationToken(continuation)));
    return new Page(page.contents().stream().map(S3Object::key).toList(),
        Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null);
  }

  @Override
  public void delete(String bucket, List<String> keys) {
    if (keys.isEmpty()) {
      return;
    }
    List<ObjectIdentifier> ids = keys.stream().map(k -> ObjectIdentifier.builder().key(k).build()).toList();
    DeleteObjectsResponse r = call("DeleteObjects", bucket,
        () -> s3.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(ids).quiet(true))));
    if (r.hasErrors() && !r.errors().isEmpty()) {
      var first = r.errors().get(0);
      throw new BucketException(new BucketError("DeleteObjects", bucket, 200, first.code(),
          r.errors().size() + " of " + keys.size() + " objects were not deleted, first " + first.key()
              + (first.message() == null ? "" : ": " + first.message())), null);
    }
  }

  @Override
  public int abortUploads(String bucket, String prefix) {
    List<MultipartUpload> uploads = new ArrayList<>();
    String keyMarker = null;
    String uploadIdMarker = null;
    Set<String> seen = new HashSet<>();
    do {
      String k = keyMarker;
      String u = uploadIdMarker;
      ListMultipartUploadsResponse page = call("ListMultipartUploads", bucket,
          () -> s3.listMultipartUploads(b -> b.bucket(bucket).prefix(prefix).keyMarker(k).uploadIdMarker(u)));
      uploads.addAll(page.uploads());
      boolean more = Boolean.TRUE.equals(page.isTruncated()) && page.nextKeyMarker() != null
          && seen.add(page.nextKeyMarker() + "/" + page.nextUploadIdMarker());
      keyMarker = more ? page.nextKeyMarker() : null;
      uploadIdMarker = more ? page.nextUploadIdMarker() : null;
    } while (keyMarker != null);
    for (MultipartUpload upload : uploads) {
      call("AbortMultipartUpload", bucket,
          () -> s3.abortMultipartUpload(b -> b.bucket(bucket).key(upload.key()).uploadId(upload.uploadId())));
    }
    return uploads.size();
  }

  @Override
  public void deleteBucket(String bucket) {
    call("DeleteBucket", bucket, () -> s3.deleteBucket(b -> b.bucket(bucket)));
  }

  @Override
  public void close() {
    s3.close();
  }

  private static <T> T call(String api, String bucket, Supplier<T> action) {
    try {
      return action.get();
    } catch (S3Exception e) {
      throw new BucketException(error(api, bucket, e), e);
    } catch (SdkClientException e) {
      throw new BucketException(error(api, bucket, e), e);
    }
  }

  static BucketError error(String api, String bucket, S3Exception e) {
    String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    String message = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorMessage();
    return new BucketError(api, bucket, e.statusCode(), code, message);
  }

  static BucketError error(String api, String bucket, SdkClientException e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return new BucketError(api, bucket, 0, message.startsWith(NO_CREDENTIALS_MESSAGE) ? BucketError.NO_CREDENTIALS : null,
        message);
  }

  private static boolean on(Boolean b) {
    return Boolean.TRUE.equals(b);
  }
}
