package dev.turbocache.server.storage;

/** Size of what one store holds right now. */
public record StoreStats(long entries, long bytes) {}
