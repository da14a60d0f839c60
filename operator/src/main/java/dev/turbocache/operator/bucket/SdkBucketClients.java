package dev.turbocache.operator.bucket;

import dev.turbocache.operator.model.ResolvedSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * S3 clients with the operator's own AWS credentials (never the cache servers'): the keys of a
 * Secret in the operator's namespace when one is configured (read at every use, so a rotated key
 * takes effect without a restart), else the SDK's default chain (IRSA or Pod Identity on the
 * operator's ServiceAccount, environment, instance profile).
 */
public final class SdkBucketClients implements BucketClients {
  public static final String ACCESS_KEY_ID = "AWS_ACCESS_KEY_ID";
  public static final String SECRET_ACCESS_KEY = "AWS_SECRET_ACCESS_KEY";
  public static final String SESSION_TOKEN = "AWS_SESSION_TOKEN";
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  private final Supplier<AwsCredentialsProvider> credentials;

  public SdkBucketClients(Supplier<AwsCredentialsProvider> credentials) {
    this.credentials = credentials;
  }

  /** The default chain; one provider for the process, so web-identity tokens are refreshed, not refetched. */
  public static SdkBucketClients defaultChain() {
    DefaultCredentialsProvider chain = DefaultCredentialsProvider.builder().build();
    return new SdkBucketClients(() -> chain);
  }

  /** The keys of Secret {@code name} in {@code namespace}, read through the Kubernetes API at every use. */
  public static SdkBucketClients fromSecret(KubernetesClient client, String namespace, String name) {
    return new SdkBucketClients(() -> secretCredentials(client.secrets().inNamespace(namespace).withName(name).get(),
        namespace, name));
  }

  static AwsCredentialsProvider secretCredentials(Secret secret, String namespace, String name) {
    String where = "Secret '" + name + "' in namespace '" + namespace + "' (TURBOCACHE_AWS_CREDENTIALS_SECRET)";
    if (secret == null) {
      throw new IllegalStateException(where + " not found");
    }
    String id = value(secret, ACCESS_KEY_ID);
    String key = value(secret, SECRET_ACCESS_KEY);
    if (id == null || key == null) {
      throw new IllegalStateException(where + " lacks " + (id == null ? ACCESS_KEY_ID : SECRET_ACCESS_KEY));
    }
    String token = value(secret, SESSION_TOKEN);
    return StaticCredentialsProvider.create(token == null
        ? AwsBasicCredentials.create(id, key)
        : AwsSessionCredentials.create(id, key, token));
  }

  private static String value(Secret secret, String key) {
    Map<String, String> data = secret.getData();
    if (data != null && data.get(key) != null) {
      return new String(Base64.getDecoder().decode(data.get(key)), StandardCharsets.UTF_8).trim();
    }
    Map<String, String> plain = secret.getStringData();
    return plain == null || plain.get(key) == null ? null : plain.get(key).trim();
  }

  @Override
  public BucketClient open(ResolvedSpec.S3 s3) {
    AwsCredentialsProvider provider;
    try {
      provider = credentials.get();
    } catch (RuntimeException e) {
      throw new BucketException(
          new BucketError("credentials", s3.bucket(), 0, BucketError.NO_CREDENTIALS, e.getMessage()), e);
    }
    return new SdkBucketClient(client(s3, provider));
  }

  /**
   * An S3-compatible endpoint gets checksums only where S3 requires them: several reject the SDK's
   * default trailing checksums (Ceph RGW 16 answers 400 XAmzContentSHA256Mismatch).
   */
  static S3Client client(ResolvedSpec.S3 s3, AwsCredentialsProvider provider) {
    boolean compatible = s3.endpoint() != null;
    S3ClientBuilder b = S3Client.builder()
        .region(Region.of(s3.effectiveRegion()))
        .credentialsProvider(provider)
        .forcePathStyle(s3.forcePathStyle())
        .requestChecksumCalculation(compatible ? RequestChecksumCalculation.WHEN_REQUIRED : RequestChecksumCalculation.WHEN_SUPPORTED)
        .responseChecksumValidation(compatible ? ResponseChecksumValidation.WHEN_REQUIRED : ResponseChecksumValidation.WHEN_SUPPORTED)
        .httpClientBuilder(Apache5HttpClient.builder().connectionTimeout(CONNECT_TIMEOUT).socketTimeout(CALL_TIMEOUT))
        .overrideConfiguration(o -> o.apiCallTimeout(CALL_TIMEOUT));
    if (compatible) {
      b.endpointOverride(URI.create(s3.endpoint()));
    }
    return b.build();
  }
}
