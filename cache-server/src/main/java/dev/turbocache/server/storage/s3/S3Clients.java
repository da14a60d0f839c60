package dev.turbocache.server.storage.s3;

import dev.turbocache.server.config.ConfigException;
import dev.turbocache.server.config.TurboCacheConfig;
import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;

/** Builds the S3 client for {@code storage.s3}. */
final class S3Clients {
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
  static final String CHECKSUMS_WHEN_SUPPORTED = "when-supported";
  static final String CHECKSUMS_WHEN_REQUIRED = "when-required";
  private static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private S3Clients() {}

  static S3Client create(TurboCacheConfig.S3 config) {
    return create(config, true);
  }

  /**
   * @param chunkedEncoding false: bodies are sent with their payload hash up front instead of in
   *     aws-chunked signed chunks, which needs a body that can be read twice
   */
  static S3Client create(TurboCacheConfig.S3 config, boolean chunkedEncoding) {
    Duration timeout = requestTimeout(config);
    Duration connectTimeout =
        timeout.compareTo(MAX_CONNECT_TIMEOUT) < 0 ? timeout : MAX_CONNECT_TIMEOUT;
    S3ClientBuilder builder = S3Client.builder()
        .region(Region.of(isBlank(config.region()) ? "us-east-1" : config.region().trim()))
        .credentialsProvider(credentials(config))
        .forcePathStyle(config.forcePathStyle())
        .requestChecksumCalculation(whenRequired(config)
            ? RequestChecksumCalculation.WHEN_REQUIRED : RequestChecksumCalculation.WHEN_SUPPORTED)
        .responseChecksumValidation(whenRequired(config)
            ? ResponseChecksumValidation.WHEN_REQUIRED : ResponseChecksumValidation.WHEN_SUPPORTED)
        .httpClientBuilder(Apache5HttpClient.builder()
            .connectionTimeout(connectTimeout)
            // Between two packets of a body; a slow but progressing download is not cut off.
            .socketTimeout(timeout))
        // Bounds every call, retries included. A GetObject call ends when the headers are in:
        // reading the body afterwards is bounded by the socket timeout only.
        .overrideConfiguration(o -> o.apiCallTimeout(timeout).apiCallAttemptTimeout(timeout));
    if (!isBlank(config.endpoint())) {
      builder.endpointOverride(endpoint(config.endpoint()));
    }
    if (!chunkedEncoding) {
      builder.serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build());
    }
    return builder.build();
  }

  /**
   * {@code storage.s3.checksums}: true for {@code when-required}. The SDK's default sends a CRC
   * trailer (aws-chunked) with every upload, which some S3-compatible stores reject (Ceph RGW 16
   * answers 400 XAmzContentSHA256Mismatch); they need checksums only where S3 requires them.
   */
  static boolean whenRequired(TurboCacheConfig.S3 config) {
    String value = config.checksums() == null ? CHECKSUMS_WHEN_SUPPORTED : config.checksums().trim();
    return switch (value) {
      case CHECKSUMS_WHEN_SUPPORTED -> false;
      case CHECKSUMS_WHEN_REQUIRED -> true;
      default -> throw new ConfigException("storage.s3.checksums must be " + CHECKSUMS_WHEN_SUPPORTED
          + " or " + CHECKSUMS_WHEN_REQUIRED + ", not '" + value + "'");
    };
  }

  static Duration requestTimeout(TurboCacheConfig.S3 config) {
    Duration timeout = config.requestTimeout();
    if (timeout == null || timeout.isZero()) {
      return DEFAULT_TIMEOUT;
    }
    if (timeout.isNegative()) {
      throw new ConfigException("storage.s3.requestTimeout must be positive");
    }
    return timeout;
  }

  /**
   * Static keys when configured, else the SDK's default chain: environment variables, system
   * properties, web identity token (IRSA, needs the sts module), profile files, container
   * credentials (ECS, EKS Pod Identity) and the instance profile.
   */
  static AwsCredentialsProvider credentials(TurboCacheConfig.S3 config) {
    if (isBlank(config.accessKeyId())) {
      return DefaultCredentialsProvider.builder().build();
    }
    if (isBlank(config.secretAccessKey())) {
      throw new ConfigException(
          "storage.s3.secretAccessKey must be set when storage.s3.accessKeyId is set");
    }
    return StaticCredentialsProvider.create(
        AwsBasicCredentials.create(config.accessKeyId().trim(), config.secretAccessKey().trim()));
  }

  static boolean usesStaticCredentials(TurboCacheConfig.S3 config) {
    return !isBlank(config.accessKeyId());
  }

  private static URI endpoint(String value) {
    try {
      URI uri = URI.create(value.trim());
      if (uri.getScheme() == null || uri.getHost() == null) {
        throw new IllegalArgumentException("no scheme or host");
      }
      return uri;
    } catch (IllegalArgumentException e) {
      throw new ConfigException(
          "storage.s3.endpoint must be a URL such as http://minio:9000, not '" + value + "'", e);
    }
  }

  static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }
}
