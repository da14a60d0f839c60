package dev.turbocache.operator.bucket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turbocache.operator.TestResources;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/** The operator's own credentials from its Secret; a problem names the Secret, never a key's value. */
class SdkBucketClientsTest {

  @Test
  void keysComeFromDataOrStringData() {
    Secret data = TestResources.secret("ops", "aws", Map.of("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY", "s3cr3t"));
    var c = SdkBucketClients.secretCredentials(data, "ops", "aws").resolveCredentials();
    assertThat(c.accessKeyId()).isEqualTo("AKIDEXAMPLE");
    assertThat(c.secretAccessKey()).isEqualTo("s3cr3t");
    Secret plain = new SecretBuilder().withNewMetadata().withName("aws").endMetadata()
        .withStringData(Map.of("AWS_ACCESS_KEY_ID", "id", "AWS_SECRET_ACCESS_KEY", "key", "AWS_SESSION_TOKEN", "tok")).build();
    assertThat(SdkBucketClients.secretCredentials(plain, "ops", "aws").resolveCredentials())
        .isInstanceOfSatisfying(AwsSessionCredentials.class, s -> assertThat(s.sessionToken()).isEqualTo("tok"));
  }

  @Test
  void aMissingSecretOrKeyIsNamed() {
    assertThatThrownBy(() -> SdkBucketClients.secretCredentials(null, "ops", "aws"))
        .hasMessage("Secret 'aws' in namespace 'ops' (TURBOCACHE_AWS_CREDENTIALS_SECRET) not found");
    Secret half = TestResources.secret("ops", "aws", Map.of("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"));
    assertThatThrownBy(() -> SdkBucketClients.secretCredentials(half, "ops", "aws"))
        .hasMessageContaining("lacks AWS_SECRET_ACCESS_KEY").hasMessageNotContaining("AKIDEXAMPLE");
  }
}
