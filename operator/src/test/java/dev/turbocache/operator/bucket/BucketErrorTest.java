package dev.turbocache.operator.bucket;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Every AWS error the operator meets, and what it makes of it. */
class BucketErrorTest {

  static Stream<Arguments> errors() {
    return Stream.of(
        Arguments.of("PutBucketLifecycleConfiguration", 501, "NotImplemented", BucketError.Kind.NOT_IMPLEMENTED, false),
        Arguments.of("GetBucketEncryption", 400, "NotImplemented", BucketError.Kind.NOT_IMPLEMENTED, false),
        Arguments.of("GetPublicAccessBlock", 404, "NoSuchPublicAccessBlockConfiguration", BucketError.Kind.NOT_CONFIGURED, false),
        Arguments.of("GetBucketEncryption", 404, "ServerSideEncryptionConfigurationNotFoundError", BucketError.Kind.NOT_CONFIGURED, false),
        Arguments.of("GetBucketLifecycleConfiguration", 404, "NoSuchLifecycleConfiguration", BucketError.Kind.NOT_CONFIGURED, false),
        Arguments.of("GetBucketTagging", 404, "NoSuchTagSet", BucketError.Kind.NOT_CONFIGURED, false),
        Arguments.of("GetBucketPolicy", 404, "NoSuchBucketPolicy", BucketError.Kind.NOT_CONFIGURED, false),
        Arguments.of("GetBucketPolicy", 404, "NoSuchPolicy", BucketError.Kind.NOT_CONFIGURED, false),
        Arguments.of("HeadBucket", 404, null, BucketError.Kind.NO_SUCH_BUCKET, false),
        Arguments.of("ListObjectsV2", 404, "NoSuchBucket", BucketError.Kind.NO_SUCH_BUCKET, false),
        Arguments.of("CreateBucket", 409, "BucketAlreadyOwnedByYou", BucketError.Kind.ALREADY_OWNED, false),
        Arguments.of("CreateBucket", 409, "BucketAlreadyExists", BucketError.Kind.OWNED_BY_ANOTHER_ACCOUNT, true),
        Arguments.of("PutBucketPolicy", 403, "AccessDenied", BucketError.Kind.ACCESS_DENIED, true),
        Arguments.of("HeadBucket", 403, null, BucketError.Kind.ACCESS_DENIED, true),
        Arguments.of("CreateBucket", 403, "AllAccessDisabled", BucketError.Kind.ACCESS_DENIED, true),
        Arguments.of("HeadBucket", 403, "InvalidAccessKeyId", BucketError.Kind.INVALID_CREDENTIALS, true),
        Arguments.of("HeadBucket", 403, "SignatureDoesNotMatch", BucketError.Kind.INVALID_CREDENTIALS, true),
        Arguments.of("HeadBucket", 400, "ExpiredToken", BucketError.Kind.INVALID_CREDENTIALS, true),
        Arguments.of("CreateBucket", 400, "InvalidLocationConstraint", BucketError.Kind.WRONG_REGION, true),
        Arguments.of("CreateBucket", 400, "IllegalLocationConstraintException", BucketError.Kind.WRONG_REGION, true),
        Arguments.of("HeadBucket", 400, "AuthorizationHeaderMalformed", BucketError.Kind.WRONG_REGION, true),
        Arguments.of("HeadBucket", 301, null, BucketError.Kind.WRONG_REGION, true),
        Arguments.of("DeleteBucket", 409, "BucketNotEmpty", BucketError.Kind.BUCKET_NOT_EMPTY, false),
        Arguments.of("PutBucketTagging", 400, "InvalidTag", BucketError.Kind.OTHER, false),
        Arguments.of("PutBucketEncryption", 400, "InvalidArgument", BucketError.Kind.OTHER, false),
        Arguments.of("HeadBucket", 503, "SlowDown", BucketError.Kind.OTHER, false),
        Arguments.of("HeadBucket", 0, null, BucketError.Kind.UNREACHABLE, false),
        Arguments.of("credentials", 0, BucketError.NO_CREDENTIALS, BucketError.Kind.CREDENTIALS_UNAVAILABLE, true));
  }

  @ParameterizedTest(name = "{0} {1} {2} -> {3}")
  @MethodSource("errors")
  void everyErrorMapsToWhatItMeansAndTheMessageNamesTheCode(String api, int status, String code, BucketError.Kind kind,
      boolean terminal) {
    BucketError e = new BucketError(api, "acme-turbo-cache", status, code, "S3 said so");
    assertThat(e.kind()).isEqualTo(kind);
    assertThat(e.kind().terminal).isEqualTo(terminal);
    assertThat(e.reason()).matches("^[A-Za-z][A-Za-z0-9]*$");
    assertThat(e.message()).contains("acme-turbo-cache").contains("S3 said so").endsWith(".");
    if (code != null && status != 0) {
      assertThat(e.reason()).isEqualTo(code);
      assertThat(e.message()).contains("AWS error code " + code).contains("HTTP " + status).contains(api);
    }
  }

  @Test
  void hintsSayWhatToDo() {
    assertThat(new BucketError("PutBucketPolicy", "b", 403, "AccessDenied", "Access Denied").message())
        .contains("Grant the operator's AWS identity s3:PutBucketPolicy on arn:aws:s3:::b");
    assertThat(new BucketError("DeleteObjects", "b", 200, "AccessDenied", "1 of 1").message())
        .contains("s3:DeleteObject on arn:aws:s3:::b/*");
    assertThat(new BucketError("CreateBucket", "b", 409, "BucketAlreadyExists", null).message())
        .contains("Another account owns this bucket name").contains("spec.tiers.s3.bucket");
    assertThat(new BucketError("HeadBucket", "b", 403, "InvalidAccessKeyId", null).message())
        .contains("TURBOCACHE_AWS_CREDENTIALS_SECRET");
    assertThat(new BucketError("credentials", "b", 0, BucketError.NO_CREDENTIALS, "Secret 'x' not found").message())
        .startsWith("The operator has no AWS credentials for bucket 'b': Secret 'x' not found.");
    assertThat(new BucketError("HeadBucket", "b", 0, null, "Connection refused").reason()).isEqualTo("S3Unreachable");
    assertThat(new BucketError("HeadBucket", "b", 403, null, null).reason()).isEqualTo("AccessDenied");
    assertThat(new BucketError("HeadBucket", "b", 500, "Internal.Error", null).reason()).isEqualTo("InternalError");
  }
}
