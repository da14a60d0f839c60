package dev.turbocache.operator.monitoring;

import java.time.Duration;

/** A duration as Prometheus writes one ({@code 15m}, {@code 30s}, {@code 400ms}): its largest whole unit. */
final class PromDuration {
  private PromDuration() {}

  static String of(Duration d) {
    long ms = d.toMillis();
    if (ms > 0 && ms % 3_600_000 == 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms > 0 && ms % 60_000 == 0) {
      return ms / 60_000 + "m";
    }
    if (ms % 1000 == 0) {
      return ms / 1000 + "s";
    }
    return ms + "ms";
  }
}
