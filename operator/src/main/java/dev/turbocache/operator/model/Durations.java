package dev.turbocache.operator.model;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as the CRD writes them ({@code 500ms}, {@code 5s}, {@code 10m}, {@code 1h}, {@code 1d}). */
public final class Durations {
  private static final Pattern FORMAT = Pattern.compile("^([0-9]+)(ms|s|m|h|d)$");

  private Durations() {}

  public static Duration parse(String text) {
    Matcher m = FORMAT.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a duration: '" + text + "' (expected e.g. 500ms, 5s, 10m, 1h, 1d)");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }
}
