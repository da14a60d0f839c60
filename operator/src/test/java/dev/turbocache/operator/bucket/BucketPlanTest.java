package dev.turbocache.operator.bucket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turbocache.operator.TestResources;
import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.api.v1alpha1.spec.S3TierSpec;
import dev.turbocache.operator.model.ResolvedSpec;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Only sections that differ are written, and a written bucket plans no further write. */
class BucketPlanTest {

  static DesiredBucket desired() {
    TurboCache cr = TestResources.withS3(TestResources.minimal(), TestResources.S3Auth.ROLE_ARN);
    cr.getSpec().tiers.s3.provisioning = S3TierSpec.Provisioning.Managed;
    return DesiredBucket.of(cr, ResolvedSpec.of(cr).s3());
  }

  /** The bucket as S3 would hand it back after the plan was written. */
  static Map<BucketSection, SectionState> inSync(DesiredBucket d) {
    Map<BucketSection, SectionState> observed = new EnumMap<>(BucketSection.class);
    d.sections().forEach((s, v) -> observed.put(s, new SectionState.Present(v)));
    return observed;
  }

  static BucketError error(String api, int status, String code) {
    return new BucketError(api, "acme-turbo-cache", status, code, "detail");
  }

  @Test
  void aBucketThatAlreadyLooksRightGetsNoWrite() {
    BucketPlan plan = BucketPlan.of(desired(), inSync(desired()));
    assertThat(plan.writes()).isEmpty();
    assertThat(plan.unsupported()).isEmpty();
    assertThat(plan.failures()).isEmpty();
  }

  @Test
  void onlyTheSectionThatDiffersIsWritten() {
    DesiredBucket d = desired();
    Map<BucketSection, SectionState> observed = inSync(d);
    observed.put(BucketSection.TAGGING, new SectionState.Present(new SectionValue.Tags(Map.of("owner", "someone"))));
    observed.put(BucketSection.POLICY, new SectionState.Absent());
    BucketPlan plan = BucketPlan.of(d, observed);
    assertThat(plan.writes()).extracting(SectionValue::section).containsExactly(BucketSection.TAGGING, BucketSection.POLICY);
    assertThat(plan.writes()).containsExactly(d.sections().get(BucketSection.TAGGING), d.sections().get(BucketSection.POLICY));
  }

  @Test
  void aPolicyReformattedByS3IsNoDrift() {
    DesiredBucket d = desired();
    Map<BucketSection, SectionState> observed = inSync(d);
    String pretty = ((SectionValue.Policy) d.sections().get(BucketSection.POLICY)).canonical().toPrettyString();
    observed.put(BucketSection.POLICY, new SectionState.Present(SectionValue.Policy.parse(pretty)));
    assertThat(BucketPlan.of(d, observed).writes()).isEmpty();
  }

  @Test
  void writingThePlanAndReadingBackPlansNothingSoTheOperatorNeverFlaps() {
    DesiredBucket d = desired();
    Map<BucketSection, SectionState> observed = new EnumMap<>(BucketSection.class);
    for (BucketSection s : BucketSection.values()) {
      observed.put(s, new SectionState.Absent());
    }
    BucketPlan first = BucketPlan.of(d, observed);
    assertThat(first.writes()).hasSize(BucketSection.values().length);
    first.writes().forEach(v -> observed.put(v.section(), new SectionState.Present(v)));
    assertThat(BucketPlan.of(d, observed).writes()).isEmpty();
  }

  @Test
  void unsupportedAndUnreadableSectionsAreLeftAloneAndReported() {
    DesiredBucket d = desired();
    Map<BucketSection, SectionState> observed = inSync(d);
    BucketError notImplemented = error("GetBucketLifecycleConfiguration", 501, "NotImplemented");
    BucketError denied = error("GetBucketTagging", 403, "AccessDenied");
    observed.put(BucketSection.LIFECYCLE, new SectionState.Unsupported(notImplemented));
    observed.put(BucketSection.TAGGING, new SectionState.Failed(denied));
    BucketPlan plan = BucketPlan.of(d, observed);
    assertThat(plan.writes()).isEmpty();
    assertThat(plan.unsupported()).containsExactly(notImplemented);
    assertThat(plan.failures()).containsExactly(denied);
  }
}
