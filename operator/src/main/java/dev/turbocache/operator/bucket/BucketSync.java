package dev.turbocache.operator.bucket;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * One pass over a Managed bucket: make sure it exists (create it, or adopt it when it already is the
 * operator's account's), read every section, write those that differ ({@link BucketPlan}). A write
 * the endpoint does not implement is a warning; any other failed section is reported and the other
 * sections are still kept.
 */
public final class BucketSync {
  private BucketSync() {}

  /**
   * @param created the bucket was created by this pass
   * @param written the sections this pass wrote
   * @param unsupported calls the endpoint does not implement
   * @param failures sections that could not be read or written
   * @param fatal why the bucket could not be used at all (then nothing else was tried), or null
   */
  public record Result(boolean created, List<BucketSection> written, List<BucketError> unsupported,
      List<BucketError> failures, BucketError fatal) {

    public static Result fatal(BucketError error) {
      return new Result(false, List.of(), List.of(), List.of(), error);
    }

    public boolean ok() {
      return fatal == null && failures.isEmpty();
    }
  }

  public static Result run(BucketClient client, DesiredBucket desired) {
    boolean created;
    try {
      created = ensureExists(client, desired);
    } catch (BucketException e) {
      return Result.fatal(e.error());
    }
    Map<BucketSection, SectionState> observed = new EnumMap<>(BucketSection.class);
    for (BucketSection section : BucketSection.values()) {
      observed.put(section, client.read(desired.name(), section));
    }
    BucketPlan plan = BucketPlan.of(desired, observed);
    List<BucketSection> written = new ArrayList<>();
    List<BucketError> unsupported = new ArrayList<>(plan.unsupported());
    List<BucketError> failures = new ArrayList<>(plan.failures());
    for (SectionValue value : plan.writes()) {
      try {
        client.write(desired.name(), value);
        written.add(value.section());
      } catch (BucketException e) {
        (e.error().kind() == BucketError.Kind.NOT_IMPLEMENTED ? unsupported : failures).add(e.error());
      }
    }
    return new Result(created, List.copyOf(written), List.copyOf(unsupported), List.copyOf(failures), null);
  }

  /**
   * @return true when this call created the bucket
   * @throws BucketException when the bucket cannot be had; a HeadBucket 403 is told apart by
   *     CreateBucket: BucketAlreadyExists (another account owns the name), refused credentials, or
   *     the denial itself
   */
  static boolean ensureExists(BucketClient client, DesiredBucket desired) {
    boolean exists;
    try {
      exists = client.exists(desired.name());
    } catch (BucketException denied) {
      if (denied.error().kind() != BucketError.Kind.ACCESS_DENIED) {
        throw denied;
      }
      try {
        if (client.create(desired.name(), desired.region())) {
          return true;
        }
      } catch (BucketException e) {
        // a HeadBucket 403 has no body: CreateBucket's error code says what it was
        BucketError.Kind kind = e.error().kind();
        if (kind == BucketError.Kind.OWNED_BY_ANOTHER_ACCOUNT || kind == BucketError.Kind.INVALID_CREDENTIALS) {
          throw e;
        }
      }
      throw denied;
    }
    return !exists && client.create(desired.name(), desired.region());
  }
}
