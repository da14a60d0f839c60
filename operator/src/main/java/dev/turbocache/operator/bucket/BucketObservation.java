package dev.turbocache.operator.bucket;

import dev.turbocache.operator.api.v1alpha1.BucketDeletionStatus;
import dev.turbocache.operator.api.v1alpha1.BucketStatus;
import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.api.v1alpha1.TurboCacheStatus;
import dev.turbocache.operator.api.v1alpha1.spec.S3EncryptionSpec;
import dev.turbocache.operator.model.Names;
import dev.turbocache.operator.model.ResolvedSpec;
import dev.turbocache.operator.status.ComponentCondition;
import dev.turbocache.operator.status.ComponentObservation;
import dev.turbocache.operator.status.Problem;
import dev.turbocache.operator.status.Warning;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The s3 tier's bucket (BucketReady) as one reconciliation saw it, and {@code status.bucket}. Every
 * factory is pure: what the bucket step did goes in, conditions, problems and warnings come out.
 * BucketReady counts in Ready whenever there is an s3 tier: the cache's durable tier is that bucket.
 *
 * @param terminal a failure that retrying cannot fix until someone changes the spec, IAM or the
 *     bucket's owner (the operator then looks again at the resync interval only)
 */
public record BucketObservation(Optional<ComponentCondition> condition, List<Problem> problems, List<Warning> warnings,
    BucketStatus bucket, boolean terminal) implements ComponentObservation {
  public static final String BUCKET_READY = "BucketReady";

  @Override
  public void describe(TurboCacheStatus status) {
    status.bucket = bucket;
  }

  /** No s3 tier. */
  public static BucketObservation none() {
    return new BucketObservation(Optional.of(new ComponentCondition(BUCKET_READY, false, false, "Disabled",
        "spec.tiers.s3 is absent: the cache has no s3 tier")), List.of(), List.of(), null, false);
  }

  /** An External bucket: used as given, never called by the operator. */
  public static BucketObservation external(TurboCache cr, ResolvedSpec.S3 s3) {
    List<Warning> warnings = new ArrayList<>();
    List<String> ignored = s3.managedOnlyFieldsSet();
    if (!ignored.isEmpty()) {
      warnings.add(new Warning("ManagedOnlySettings", ignored.stream().map(f -> "spec.tiers.s3." + f)
          .collect(Collectors.joining(", ")) + " act only when provisioning is Managed: the operator does not configure"
          + " an External bucket"));
    }
    if (s3.specEncryption() != null) {
      warnings.add(new Warning("ManagedOnlySettings", "spec.tiers.s3.encryption: the cache servers ask for "
          + describe(s3.encryption()) + " with every upload, but the bucket's default encryption is not changed"
          + " (provisioning External)"));
    }
    return new BucketObservation(ready("External", "The cache servers use bucket '" + s3.bucket()
        + "' as given (provisioning External): the operator neither creates nor configures it"), List.of(),
        List.copyOf(warnings), status(cr, s3, false), false);
  }

  /**
   * What one pass of {@link BucketSync} did to a Managed bucket. The condition says how the bucket
   * is, not what this pass wrote (the log says that), so that a corrected drift does not change the
   * status twice.
   */
  public static BucketObservation synced(TurboCache cr, ResolvedSpec.S3 s3, BucketSync.Result result, boolean createdByOperator) {
    BucketStatus status = status(cr, s3, createdByOperator);
    List<Warning> warnings = result.unsupported().stream()
        .map(e -> new Warning("NotImplemented", "The S3 endpoint does not implement " + e.api() + " ("
            + sectionOf(e.api()) + " of bucket '" + s3.bucket() + "' is not kept)"))
        .distinct().toList();
    if (result.fatal() != null) {
      return failed(result.fatal(), List.of(result.fatal()), warnings, status);
    }
    if (!result.failures().isEmpty()) {
      return failed(result.failures().get(0), result.failures(), warnings, status);
    }
    String message = "Bucket '" + s3.bucket() + "' in " + s3.effectiveRegion() + " ("
        + (createdByOperator ? "created" : "adopted") + " by the operator) blocks public access, encrypts with "
        + describe(s3.encryption()) + ", expires objects under '" + s3.keyPrefix() + "' after " + s3.retentionDays()
        + " days and takes TLS only";
    return new BucketObservation(ready("Configured", message), List.of(), warnings, status, false);
  }

  /** While paused, or when a reconciliation failed before the bucket step: the last known state, unchanged. */
  public static BucketObservation carried(TurboCache cr, ResolvedSpec.S3 s3, boolean createdByOperator) {
    BucketStatus status = status(cr, s3, createdByOperator);
    Optional<Condition> previous = cr.getStatus() == null ? Optional.empty()
        : cr.getStatus().conditions.stream().filter(c -> BUCKET_READY.equals(c.getType())).findFirst();
    ComponentCondition condition = previous
        .map(c -> new ComponentCondition(BUCKET_READY, "True".equals(c.getStatus()), true, c.getReason(), c.getMessage()))
        .orElse(new ComponentCondition(BUCKET_READY, false, true, "Pending",
            "The operator has not configured bucket '" + s3.bucket() + "' yet"));
    return new BucketObservation(Optional.of(condition), List.of(), List.of(), status, false);
  }

  /** A deleted TurboCache whose Managed bucket is being emptied (deletionPolicy Delete). */
  public static BucketObservation deleting(TurboCache cr, ResolvedSpec.S3 s3, BucketDeletion.Progress progress,
      boolean createdByOperator) {
    BucketStatus status = status(cr, s3, createdByOperator);
    status.deletion = new BucketDeletionStatus();
    status.deletion.objectsDeleted = progress.objectsDeleted();
    status.deletion.phase = progress.phase().name();
    String what = "the objects under '" + s3.keyPrefix() + "' of bucket '" + s3.bucket() + "' (deletionPolicy Delete)";
    if (progress.error() != null) {
      BucketError e = progress.error();
      return new BucketObservation(Optional.of(new ComponentCondition(BUCKET_READY, false, true, e.reason(),
          "Deleting " + what + " failed after " + progress.objectsDeleted() + " objects: " + e.message()
              + " The TurboCache keeps its finalizer until the bucket is emptied")),
          List.of(new Problem(e.reason(), "Deleting " + what + ": " + e.message())), List.of(), status,
          e.kind().terminal);
    }
    return new BucketObservation(Optional.of(new ComponentCondition(BUCKET_READY, false, true, "Deleting",
        "Deleting " + what + ": " + progress.objectsDeleted() + " deleted so far")), List.of(), List.of(), status, false);
  }

  private static BucketObservation failed(BucketError first, List<BucketError> all, List<Warning> warnings, BucketStatus status) {
    List<Problem> problems = all.stream().map(e -> new Problem(e.reason(), e.message())).distinct().toList();
    String message = all.stream().map(BucketError::message).distinct().collect(Collectors.joining("; "));
    return new BucketObservation(Optional.of(new ComponentCondition(BUCKET_READY, false, true, first.reason(), message)),
        problems, warnings, status, all.stream().anyMatch(e -> e.kind().terminal));
  }

  private static Optional<ComponentCondition> ready(String reason, String message) {
    return Optional.of(new ComponentCondition(BUCKET_READY, true, true, reason, message));
  }

  static boolean previouslyCreated(TurboCache cr) {
    return cr.getStatus() != null && cr.getStatus().bucket != null
        && Boolean.TRUE.equals(cr.getStatus().bucket.createdByOperator);
  }

  private static BucketStatus status(TurboCache cr, ResolvedSpec.S3 s3, boolean createdByOperator) {
    BucketStatus s = new BucketStatus();
    s.name = s3.bucket();
    s.region = s3.effectiveRegion();
    s.provisioning = s3.provisioning().name();
    s.createdByOperator = s3.managed() ? createdByOperator : null;
    s.iamPolicy = IamPolicy.render(s3);
    s.iamPolicyConfigMap = Names.iamPolicy(cr);
    return s;
  }

  private static String describe(ResolvedSpec.Encryption e) {
    return e.type() == S3EncryptionSpec.Type.SSE_KMS ? "SSE-KMS (key " + e.kmsKeyId() + ")" : "SSE-S3";
  }

  private static String sectionOf(String api) {
    for (BucketSection s : BucketSection.values()) {
      if (s.readApi.equals(api) || s.writeApi.equals(api)) {
        return "its " + s.description;
      }
    }
    return api;
  }
}
