package dev.turbocache.operator.bucket;

import java.util.Map;
import java.util.Set;

/**
 * One failed S3 call, as the SDK reported it, judged by what it means for the bucket: the pure
 * mapping from an AWS error to what the operator does and tells the user.
 *
 * @param api the S3 API, as AWS names it (CreateBucket, PutBucketPolicy, ...)
 * @param bucket the bucket the call was about
 * @param httpStatus 0 when S3 never answered
 * @param errorCode the AWS error code (AccessDenied, BucketAlreadyExists, ...); null when S3 gave none
 * @param detail the AWS error message or, without an answer, the client's
 */
public record BucketError(String api, String bucket, int httpStatus, String errorCode, String detail) {

  public enum Kind {
    /** The endpoint lacks the API (MinIO, R2, Ceph lack some): a warning naming it. */
    NOT_IMPLEMENTED(false),
    /** The section is not configured on the bucket: the operator writes it. */
    NOT_CONFIGURED(false),
    /** HeadBucket: the bucket does not exist (yet). */
    NO_SUCH_BUCKET(false),
    /** CreateBucket: the bucket is already the operator's account's: adopted. */
    ALREADY_OWNED(false),
    /** CreateBucket: another account owns the name (bucket names are global). */
    OWNED_BY_ANOTHER_ACCOUNT(true),
    /** The operator's AWS identity lacks a permission. */
    ACCESS_DENIED(true),
    /** S3 refused the operator's credentials. */
    INVALID_CREDENTIALS(true),
    /** The bucket or request is in another region than spec.tiers.s3.region. */
    WRONG_REGION(true),
    /** DeleteBucket: objects outside the prefix (or written meanwhile) remain. */
    BUCKET_NOT_EMPTY(false),
    /** No answer from S3 (refused, timed out): retried soon. */
    UNREACHABLE(false),
    /** The operator found no AWS credentials of its own. */
    CREDENTIALS_UNAVAILABLE(true),
    /** Any other error S3 answered with. */
    OTHER(false);

    /** True when retrying cannot help until someone changes something (spec, IAM, the name). */
    public final boolean terminal;

    Kind(boolean terminal) {
      this.terminal = terminal;
    }
  }

  /** Error code of a client-side failure without credentials (never an AWS code). */
  public static final String NO_CREDENTIALS = "CredentialsUnavailable";

  static final Set<String> NOT_CONFIGURED_CODES = Set.of(
      "NoSuchPublicAccessBlockConfiguration",
      "ServerSideEncryptionConfigurationNotFoundError",
      "NoSuchLifecycleConfiguration",
      "NoSuchTagSet",
      "NoSuchTagSetError",
      "NoSuchBucketPolicy",
      // S3Proxy's spelling of NoSuchBucketPolicy
      "NoSuchPolicy");

  static final Set<String> CREDENTIAL_CODES = Set.of(
      "InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken", "InvalidToken", "TokenRefreshRequired");

  static final Set<String> REGION_CODES = Set.of(
      "InvalidLocationConstraint", "IllegalLocationConstraintException", "AuthorizationHeaderMalformed",
      "PermanentRedirect", "InvalidRegion");

  static final Set<String> DENIED_CODES = Set.of("AccessDenied", "AllAccessDisabled", "AccountProblem");

  /** The IAM action behind each S3 API the operator calls, for "grant ..." hints. */
  static final Map<String, String> IAM_ACTIONS = Map.ofEntries(
      Map.entry("HeadBucket", "s3:ListBucket"),
      Map.entry("CreateBucket", "s3:CreateBucket"),
      Map.entry("GetPublicAccessBlock", "s3:GetBucketPublicAccessBlock"),
      Map.entry("PutPublicAccessBlock", "s3:PutBucketPublicAccessBlock"),
      Map.entry("GetBucketEncryption", "s3:GetEncryptionConfiguration"),
      Map.entry("PutBucketEncryption", "s3:PutEncryptionConfiguration"),
      Map.entry("GetBucketLifecycleConfiguration", "s3:GetLifecycleConfiguration"),
      Map.entry("PutBucketLifecycleConfiguration", "s3:PutLifecycleConfiguration"),
      Map.entry("GetBucketTagging", "s3:GetBucketTagging"),
      Map.entry("PutBucketTagging", "s3:PutBucketTagging"),
      Map.entry("GetBucketPolicy", "s3:GetBucketPolicy"),
      Map.entry("PutBucketPolicy", "s3:PutBucketPolicy"),
      Map.entry("ListObjectsV2", "s3:ListBucket"),
      Map.entry("DeleteObjects", "s3:DeleteObject"),
      Map.entry("ListMultipartUploads", "s3:ListBucketMultipartUploads"),
      Map.entry("AbortMultipartUpload", "s3:AbortMultipartUpload"),
      Map.entry("DeleteBucket", "s3:DeleteBucket"));

  /** What the error means (pure: depends on the status and the code only). */
  public Kind kind() {
    String code = errorCode == null ? "" : errorCode;
    if (NO_CREDENTIALS.equals(code)) {
      return Kind.CREDENTIALS_UNAVAILABLE;
    }
    if (httpStatus == 0) {
      return Kind.UNREACHABLE;
    }
    if (httpStatus == 501 || code.equals("NotImplemented")) {
      return Kind.NOT_IMPLEMENTED;
    }
    if (NOT_CONFIGURED_CODES.contains(code)) {
      return Kind.NOT_CONFIGURED;
    }
    if (code.equals("BucketAlreadyOwnedByYou")) {
      return Kind.ALREADY_OWNED;
    }
    if (code.equals("BucketAlreadyExists")) {
      return Kind.OWNED_BY_ANOTHER_ACCOUNT;
    }
    if (code.equals("BucketNotEmpty")) {
      return Kind.BUCKET_NOT_EMPTY;
    }
    if (CREDENTIAL_CODES.contains(code)) {
      return Kind.INVALID_CREDENTIALS;
    }
    if (REGION_CODES.contains(code) || httpStatus == 301) {
      return Kind.WRONG_REGION;
    }
    if (code.equals("NoSuchBucket") || (httpStatus == 404 && code.isEmpty())) {
      return Kind.NO_SUCH_BUCKET;
    }
    if (DENIED_CODES.contains(code) || httpStatus == 403) {
      return Kind.ACCESS_DENIED;
    }
    return Kind.OTHER;
  }

  /**
   * The condition reason: the AWS error code (CamelCase already), else what happened; reduced to
   * the characters a condition reason may hold.
   */
  public String reason() {
    String r = errorCode != null && !errorCode.isBlank() ? errorCode
        : switch (kind()) {
          case UNREACHABLE -> "S3Unreachable";
          case ACCESS_DENIED -> "AccessDenied";
          case NO_SUCH_BUCKET -> "NoSuchBucket";
          default -> "S3Error";
        };
    String cleaned = r.replaceAll("[^A-Za-z0-9]", "");
    return cleaned.isEmpty() || !Character.isLetter(cleaned.charAt(0)) ? "S3Error" : cleaned;
  }

  /** The sentence the user reads: the call, the AWS error code and what to do about it. */
  public String message() {
    if (kind() == Kind.CREDENTIALS_UNAVAILABLE) {
      return "The operator has no AWS credentials for bucket '" + bucket + "': " + detail + ". " + hint();
    }
    String what = api + " on bucket '" + bucket + "'";
    String answer = httpStatus == 0
        ? " got no answer: " + detail
        : " failed with AWS error code " + (errorCode == null ? "(none)" : errorCode) + " (HTTP " + httpStatus + ")"
            + (detail == null || detail.isBlank() ? "" : ": " + detail);
    return what + answer + ". " + hint();
  }

  private String hint() {
    return switch (kind()) {
      case NOT_IMPLEMENTED -> "The S3 endpoint does not implement " + api + ".";
      case OWNED_BY_ANOTHER_ACCOUNT -> "Another account owns this bucket name (bucket names are global): choose another"
          + " spec.tiers.s3.bucket, or use provisioning External for a bucket that others own and configure.";
      case ACCESS_DENIED -> "Grant the operator's AWS identity " + IAM_ACTIONS.getOrDefault(api, "s3:" + api)
          + " on arn:aws:s3:::" + bucket + (api.equals("DeleteObjects") || api.equals("AbortMultipartUpload") ? "/*" : "")
          + " (and see that no bucket policy denies it).";
      case INVALID_CREDENTIALS -> "S3 refused the operator's credentials: check the Secret named by"
          + " TURBOCACHE_AWS_CREDENTIALS_SECRET, or the role of the operator's ServiceAccount.";
      case CREDENTIALS_UNAVAILABLE -> "Give the operator AWS credentials: a Secret named by TURBOCACHE_AWS_CREDENTIALS_SECRET,"
          + " or IRSA / Pod Identity on its ServiceAccount.";
      case WRONG_REGION -> "The bucket or endpoint is not in spec.tiers.s3.region: set the bucket's region there.";
      case BUCKET_NOT_EMPTY -> "Objects outside the prefix remain; the bucket is kept.";
      case UNREACHABLE -> "The operator retries.";
      default -> "The operator retries; if it persists, check the bucket in the S3 console.";
    };
  }
}
