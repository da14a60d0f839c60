package dev.turbocache.server.storage;

import dev.turbocache.server.artifact.ArtifactKey;
import dev.turbocache.server.artifact.ArtifactMetadata;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The storage contract every tier implements, that the wrappers around a tier ({@link
 * ForwardingArtifactStore}) implement again, and that {@link TieredStore} implements over an
 * ordered list of tiers. Implementations must be thread-safe.
 *
 * <p>Atomicity: a reader sees either the whole previous version of an artifact or the whole new
 * one, never a mix, and never a partially written body. An upload that fails part way leaves
 * nothing visible.
 */
public interface ArtifactStore extends AutoCloseable {

  /** Readiness asks about this key: any answer, hit or miss, proves the store works. */
  ArtifactKey READINESS_PROBE = new ArtifactKey("turbocache-probe", "0");

  /** Short name used in config, metrics and logs: {@code memory}, {@code disk}, {@code redis}... */
  String name();

  /** Whether this store keeps artifacts of the given size at all (per-tier size limits). */
  boolean admits(long size);

  /**
   * Whether {@link TieredStore} writes uploads into this store when a tier below it takes them
   * as well. A cache tier that answers false fills from reads only (hits promoted from below):
   * most uploads in CI are never downloaded again, and writing them would both push out
   * artifacts that are read and cost every upload a copy. The tier still drops its older
   * version of an uploaded key, and is written when it is the only tier that admits the size.
   */
  default boolean storesUploads() {
    return true;
  }

  /** The artifact, or empty on a miss. The caller closes the returned artifact. */
  Optional<Artifact> get(ArtifactKey key) throws IOException;

  /**
   * A hit this store can hand out without blocking (no I/O, no waiting), so it may be served on
   * an event-loop thread; empty means "call {@link #get}", which then counts the lookup. Only
   * the memory tier answers here.
   */
  default Optional<Artifact> getWithoutBlocking(ArtifactKey key) {
    return Optional.empty();
  }

  /**
   * Whether {@link #absentWithoutBlocking} can answer true at all: the store knows which keys it
   * holds without I/O (the memory tier; the disk tier, whose index is on the heap).
   */
  default boolean knowsMissesWithoutBlocking() {
    return false;
  }

  /**
   * True when the store holds no version of {@code key} and can tell so without blocking, so a
   * miss may be answered on an event-loop thread; that answer counts as the store's lookup. False
   * when it holds one or cannot tell without I/O: then call {@link #get}, which counts the lookup.
   */
  default boolean absentWithoutBlocking(ArtifactKey key) {
    return false;
  }

  /**
   * Whether {@link #put} of a body on the heap ({@link ArtifactBody.Bytes}) waits on nothing but
   * the local file system's page cache: no network, no device flush, no queue that can fill. The
   * server then stores small uploads on the I/O thread that received them, which saves the two
   * thread hand-overs of a worker (about a third of a 4 KiB upload's CPU on 2 cores). The memory
   * tier and the disk tier without fsync answer true. The answer is fixed for the store's life.
   */
  default boolean putsWithoutWaiting() {
    return false;
  }

  /** Metadata only; cheaper than {@link #get} for HEAD and batch queries. */
  Optional<ArtifactMetadata> head(ArtifactKey key) throws IOException;

  /**
   * Stores (or replaces) an artifact. {@code body.size()} equals {@code metadata.size()}. The body
   * stays owned by the caller, who may hand it to further stores afterwards.
   */
  void put(ArtifactKey key, ArtifactMetadata metadata, ArtifactBody body) throws IOException;

  /**
   * Stores a copy of an artifact that a lower tier holds, after a hit there. For the store this is
   * a {@link #put}; a wrapper that counts promotions tells the two apart.
   */
  default void promote(ArtifactKey key, Artifact artifact) throws IOException {
    put(key, artifact.metadata(), artifact.body());
  }

  /** Removes an artifact; true if it was present. */
  boolean delete(ArtifactKey key) throws IOException;

  /** Removes everything this store holds. */
  void clear() throws IOException;

  StoreStats stats();

  /**
   * Visits every artifact this store holds (admin purge, export). Weakly consistent: artifacts
   * written or removed during the scan may or may not be visited. Remote stores page through
   * their listing rather than loading it at once.
   */
  void scan(ArtifactVisitor visitor) throws IOException;

  /**
   * The teams this store holds artifacts of (what {@code /v2/teams} lists for a token that may use
   * any team). Stores that can list them without visiting every artifact override this.
   */
  default Set<String> teams() throws IOException {
    Set<String> teams = new TreeSet<>();
    scan((key, metadata) -> teams.add(key.team()));
    return teams;
  }

  /**
   * Whether an upload could be stored now. A lookup of {@link #READINESS_PROBE} answers it: one
   * that works, hit or miss, shows the store does (and lets an open circuit breaker test the tier
   * again).
   */
  default boolean readyForWrites() {
    return answersProbe(this);
  }

  /** Whether {@code store} answers a lookup of {@link #READINESS_PROBE}, hit or miss. */
  static boolean answersProbe(ArtifactStore store) {
    try {
      store.head(READINESS_PROBE);
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /**
   * Waits up to {@code timeout} for writes this store acknowledged before they were durable
   * (write-back) to become durable; true when none are left. Run at shutdown.
   */
  default boolean drain(Duration timeout) throws InterruptedException {
    return true;
  }

  /** Receives one artifact of a {@link #scan}. */
  @FunctionalInterface
  interface ArtifactVisitor {
    void visit(ArtifactKey key, ArtifactMetadata metadata) throws IOException;
  }

  @Override
  void close();
}
