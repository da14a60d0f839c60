package dev.turbocache.server.storage;

import java.io.IOException;

/** A tier was not asked at all because its circuit breaker is open. */
public final class TierUnavailableException extends IOException {
  public TierUnavailableException(String tier) {
    super("tier " + tier + " is skipped: its circuit breaker is open after repeated failures");
  }
}
