package dev.turbocache.server.auth.jwt;

import java.time.Clock;
import java.time.Instant;

/**
 * What the server last saw of an issuer's key endpoint: whether the last fetch worked, how many
 * keys it gave and when. Written by the fetches (any thread), read by readiness and metrics.
 */
public final class IssuerHealth {
  private final Clock clock;
  private volatile Status status = new Status(null, 0, null, null);

  IssuerHealth(Clock clock) {
    this.clock = clock;
  }

  /**
   * @param reachable whether the last fetch worked; null before the first one
   * @param keys how many keys the last successful fetch gave
   * @param lastSuccess when a fetch last worked; null if none has
   * @param lastError what the last failed fetch said, when the last fetch failed
   */
  public record Status(Boolean reachable, int keys, Instant lastSuccess, String lastError) {}

  public Status status() {
    return status;
  }

  void fetched(int keys) {
    status = new Status(true, keys, clock.instant(), null);
  }

  void failed(String error) {
    Status last = status;
    status = new Status(false, last.keys(), last.lastSuccess(), error);
  }
}
