package dev.turbocache.operator.bucket;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.LifecycleRule;

/** Drift comparison: equal means "the same configuration", not "the same bytes". */
class SectionValueTest {

  @Test
  void aPolicyIsTheSameWhateverItsKeyOrderWhitespaceAndListSpelling() {
    SectionValue.Policy written = SectionValue.Policy.parse(DesiredBucket.tlsOnlyPolicy("eu-west-1", "b"));
    SectionValue.Policy reformatted = SectionValue.Policy.parse("""
        {
          "Statement": [ {
              "Condition": { "Bool": { "aws:SecureTransport": "false" } },
              "Resource": [ "arn:aws:s3:::b/*", "arn:aws:s3:::b" ],
              "Action": [ "s3:*" ],
              "Principal": "*",
              "Effect": "Deny",
              "Sid": "DenyInsecureTransport"
          } ],
          "Version": "2012-10-17"
        }
        """);
    assertThat(reformatted).isEqualTo(written);
    assertThat(reformatted.json()).isEqualTo(written.json());
  }

  @Test
  void aPolicyThatSaysSomethingElseDiffers() {
    SectionValue.Policy written = SectionValue.Policy.parse(DesiredBucket.tlsOnlyPolicy("eu-west-1", "b"));
    assertThat(SectionValue.Policy.parse(DesiredBucket.tlsOnlyPolicy("eu-west-1", "b").replace("\"false\"", "\"true\"")))
        .isNotEqualTo(written);
    assertThat(SectionValue.Policy.parse(DesiredBucket.tlsOnlyPolicy("eu-west-1", "b").replace("Deny", "Allow")))
        .isNotEqualTo(written);
    assertThat(SectionValue.Policy.parse(DesiredBucket.tlsOnlyPolicy("eu-west-1", "other"))).isNotEqualTo(written);
  }

  @Test
  void lifecycleRulesAreASetAndTheLegacyPrefixIsTheFilterPrefix() {
    LifecycleRule filtered = LifecycleRule.builder().id("x").status(ExpirationStatus.ENABLED)
        .filter(f -> f.prefix("turbo/")).expiration(e -> e.days(30)).build();
    @SuppressWarnings("deprecation")
    LifecycleRule legacy = LifecycleRule.builder().id("x").status(ExpirationStatus.ENABLED)
        .prefix("turbo/").expiration(e -> e.days(30)).build();
    assertThat(SdkBucketClient.rule(legacy)).isEqualTo(SdkBucketClient.rule(filtered));
    SectionValue.Lifecycle.Rule a = new SectionValue.Lifecycle.Rule("a", true, "p/", 30, null, false);
    SectionValue.Lifecycle.Rule b = new SectionValue.Lifecycle.Rule("b", true, "p/", null, 1, false);
    assertThat(new SectionValue.Lifecycle(Set.of(a, b))).isEqualTo(new SectionValue.Lifecycle(Set.of(b, a)));
    assertThat(new SectionValue.Lifecycle(Set.of(a))).isNotEqualTo(new SectionValue.Lifecycle(Set.of(a, b)));
    assertThat(new SectionValue.Lifecycle(Set.of(a)))
        .isNotEqualTo(new SectionValue.Lifecycle(Set.of(new SectionValue.Lifecycle.Rule("a", true, "p/", 31, null, false))));
  }

  @Test
  void aRuleThatAlsoFiltersOnTagsOrTransitionsIsNeverTheOperatorsRule() {
    LifecycleRule tagged = LifecycleRule.builder().id("x").status(ExpirationStatus.ENABLED)
        .filter(f -> f.and(a -> a.prefix("turbo/").tags(t -> t.key("k").value("v")))).expiration(e -> e.days(30)).build();
    LifecycleRule transition = LifecycleRule.builder().id("x").status(ExpirationStatus.ENABLED)
        .filter(f -> f.prefix("turbo/")).expiration(e -> e.days(30)).transitions(t -> t.days(1).storageClass("GLACIER")).build();
    SectionValue.Lifecycle.Rule plain = new SectionValue.Lifecycle.Rule("x", true, "turbo/", 30, null, false);
    assertThat(SdkBucketClient.rule(tagged)).isNotEqualTo(plain);
    assertThat(SdkBucketClient.rule(transition)).isNotEqualTo(plain);
    assertThat(SdkBucketClient.rule(SdkBucketClient.rule(plain))).as("round trip").isEqualTo(plain);
  }

  @Test
  void tagsCompareAsMapsAndEncryptionIgnoresBucketKeysForSseS3() {
    Map<String, String> one = new LinkedHashMap<>();
    one.put("a", "1");
    one.put("b", "2");
    Map<String, String> other = new LinkedHashMap<>();
    other.put("b", "2");
    other.put("a", "1");
    assertThat(new SectionValue.Tags(one)).isEqualTo(new SectionValue.Tags(other));
    assertThat(new SectionValue.Tags(one)).isNotEqualTo(new SectionValue.Tags(Map.of("a", "1")));
    assertThat(new SectionValue.Encryption("AES256", null, true)).isEqualTo(new SectionValue.Encryption("AES256", null, false));
    assertThat(new SectionValue.Encryption("aws:kms", "k", true)).isNotEqualTo(new SectionValue.Encryption("aws:kms", "k", false));
    assertThat(new SectionValue.Encryption("aws:kms", "k", true)).isNotEqualTo(new SectionValue.Encryption("aws:kms", "j", true));
  }
}
