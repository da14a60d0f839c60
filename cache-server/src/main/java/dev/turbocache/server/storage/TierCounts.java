package dev.turbocache.server.storage;

/** A tier's lookups (get and head) by result, and its failed operations, at one moment. */
public record TierCounts(long hits, long misses, long errors) {
  public static final TierCounts ZERO = new TierCounts(0, 0, 0);

  /** What was counted since {@code earlier}. */
  public TierCounts since(TierCounts earlier) {
    return new TierCounts(hits - earlier.hits, misses - earlier.misses, errors - earlier.errors);
  }
}
