package dev.turbocache.server.storage;

/**
 * Size of what one store holds right now: entries and body bytes. A remote store that cannot
 * count cheaply reports {@link #UNKNOWN} (-1 in both fields).
 */
public record StoreStats(long entries, long bytes) {
  public static final StoreStats UNKNOWN = new StoreStats(-1, -1);
}
