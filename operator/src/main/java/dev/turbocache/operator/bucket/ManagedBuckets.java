package dev.turbocache.operator.bucket;

import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.api.v1alpha1.spec.S3TierSpec;
import dev.turbocache.operator.model.ResolvedSpec;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bucket step of the reconciler and its cleanup, for the external resource a Managed bucket is.
 * Nothing here throws: every S3 outcome becomes a {@link BucketObservation}. While a TurboCache is
 * paused the operator makes no S3 call at all, and deleting it then keeps the bucket whatever
 * deletionPolicy says (a paused TurboCache changes nothing, inside the cluster or out).
 */
public final class ManagedBuckets {
  private static final Logger LOG = LoggerFactory.getLogger(ManagedBuckets.class);
  /** Longest wait before retrying a bucket that is not configured (the resync interval when shorter). */
  static final Duration RETRY = Duration.ofSeconds(30);

  private final BucketClients clients;
  private final Duration resync;
  private final BucketDeletion deletion;
  /**
   * Objects deleted so far per TurboCache (uid) being emptied: the next step may run on a cached
   * TurboCache that does not show the last step's status yet. After a restart the status is it.
   */
  private final Map<String, Long> deleted = new ConcurrentHashMap<>();
  /** TurboCaches (uid) whose bucket the operator created: see {@link #created}. */
  private final Set<String> created = ConcurrentHashMap.newKeySet();

  /**
   * @param resync how often a Managed bucket is checked for drift when nothing else triggers a
   *     reconciliation
   */
  public ManagedBuckets(BucketClients clients, Duration resync, BucketDeletion deletion) {
    this.clients = clients;
    this.resync = resync;
    this.deletion = deletion;
  }

  /** Defaults: DeleteObjects of 1000 keys, 10 per cleanup step (10 000 objects between status updates). */
  public ManagedBuckets(BucketClients clients, Duration resync) {
    this(clients, resync, new BucketDeletion(BucketDeletion.MAX_PAGE, 10));
  }

  /** The bucket step of a reconciliation: creates and configures a Managed bucket unless paused. */
  public BucketObservation reconcile(TurboCache cr) {
    ResolvedSpec spec = ResolvedSpec.of(cr);
    ResolvedSpec.S3 s3 = spec.s3();
    if (s3 == null) {
      return BucketObservation.none();
    }
    if (!s3.managed()) {
      return BucketObservation.external(cr, s3);
    }
    if (spec.paused()) {
      return BucketObservation.carried(cr, s3, created(cr, false));
    }
    BucketSync.Result result;
    try (BucketClient client = clients.open(s3)) {
      result = BucketSync.run(client, DesiredBucket.of(cr, s3));
    } catch (BucketException e) {
      result = BucketSync.Result.fatal(e.error());
    }
    if (!result.written().isEmpty() || result.created()) {
      LOG.info("Bucket {} of TurboCache {}/{}: {}{}", s3.bucket(), cr.getMetadata().getNamespace(),
          cr.getMetadata().getName(), result.created() ? "created; " : "", "wrote " + result.written());
    }
    return BucketObservation.synced(cr, s3, result, created(cr, result.created()));
  }

  /** The last known bucket state, without S3 calls (a failed reconciliation reports it). */
  public BucketObservation lastKnown(TurboCache cr) {
    ResolvedSpec.S3 s3 = ResolvedSpec.of(cr).s3();
    if (s3 == null) {
      return BucketObservation.none();
    }
    return s3.managed() ? BucketObservation.carried(cr, s3, created(cr, false)) : BucketObservation.external(cr, s3);
  }

  /**
   * When to look at the bucket again: Managed buckets every resync interval once configured, sooner
   * while they are not (unless retrying cannot help: then at the resync interval too). Empty when
   * there is nothing to keep.
   */
  public Optional<Duration> nextCheck(TurboCache cr, BucketObservation observation) {
    ResolvedSpec spec = ResolvedSpec.of(cr);
    if (spec.s3() == null || !spec.s3().managed() || spec.paused()) {
      return Optional.empty();
    }
    boolean ready = observation.condition().map(c -> c.ready()).orElse(false);
    return Optional.of(ready || observation.terminal() ? resync : min(resync, RETRY));
  }

  /**
   * What deleting the TurboCache does to its bucket, one step at a time.
   *
   * @param done the finalizer may go
   * @param observation the bucket while not done (its progress for the status)
   * @param retryAfter when to call again while not done
   */
  public record Cleanup(boolean done, BucketObservation observation, Duration retryAfter) {}

  public Cleanup cleanup(TurboCache cr) {
    ResolvedSpec spec = ResolvedSpec.of(cr);
    ResolvedSpec.S3 s3 = spec.s3();
    if (s3 == null || !s3.managed() || s3.deletionPolicy() == S3TierSpec.DeletionPolicy.Retain) {
      return new Cleanup(true, null, null);
    }
    if (spec.paused()) {
      LOG.info("TurboCache {}/{} was deleted while paused: bucket {} is kept whatever its deletionPolicy",
          cr.getMetadata().getNamespace(), cr.getMetadata().getName(), s3.bucket());
      return new Cleanup(true, null, null);
    }
    long before = Math.max(deletedSoFar(cr), deleted.getOrDefault(key(cr), 0L));
    BucketDeletion.Progress progress;
    try (BucketClient client = clients.open(s3)) {
      progress = deletion.step(client, s3.bucket(), s3.keyPrefix(), created(cr, false), before);
    } catch (BucketException e) {
      progress = new BucketDeletion.Progress(before, BucketDeletion.Phase.Failed, e.error());
    }
    deleted.put(key(cr), progress.objectsDeleted());
    if (progress.done()) {
      deleted.remove(key(cr));
      created.remove(key(cr));
      LOG.info("TurboCache {}/{}: emptied bucket {} under '{}' ({} objects)", cr.getMetadata().getNamespace(),
          cr.getMetadata().getName(), s3.bucket(), s3.keyPrefix(), progress.objectsDeleted());
      return new Cleanup(true, null, null);
    }
    Duration next = progress.phase() == BucketDeletion.Phase.Failed ? min(resync, RETRY) : Duration.ZERO;
    return new Cleanup(false, BucketObservation.deleting(cr, s3, progress, created(cr, false)), next);
  }

  /**
   * Whether the operator created the bucket: this pass did, the status says so, or this process
   * saw it before. Once true it stays true, also when a reconciliation runs on a cached TurboCache
   * whose status does not show it yet (which must never turn "created" into "adopted").
   */
  private boolean created(TurboCache cr, boolean now) {
    String uid = key(cr);
    if (now || BucketObservation.previouslyCreated(cr)) {
      created.add(uid);
      return true;
    }
    return created.contains(uid);
  }

  /** The TurboCache's uid (namespace/name where it has none yet, as in tests of unsaved objects). */
  private static String key(TurboCache cr) {
    String uid = cr.getMetadata().getUid();
    return uid != null ? uid : cr.getMetadata().getNamespace() + "/" + cr.getMetadata().getName();
  }

  private static long deletedSoFar(TurboCache cr) {
    return cr.getStatus() != null && cr.getStatus().bucket != null && cr.getStatus().bucket.deletion != null
        && cr.getStatus().bucket.deletion.objectsDeleted != null ? cr.getStatus().bucket.deletion.objectsDeleted : 0;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
