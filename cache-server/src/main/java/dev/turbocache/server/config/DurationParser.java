package dev.turbocache.server.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations written the way operators write them: {@code 500ms}, {@code 30s}, {@code 1h}, {@code 14d}. */
public final class DurationParser {
  private static final Pattern FORMAT = Pattern.compile("^\\s*(\\d+)\\s*(ms|s|m|h|d)\\s*$");

  private DurationParser() {}

  public static Duration parse(String text) {
    Matcher m = FORMAT.matcher(text.toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      if (text.startsWith("P") || text.startsWith("p")) {
        return Duration.parse(text.toUpperCase(Locale.ROOT));
      }
      throw new IllegalArgumentException(
          "invalid duration '" + text + "': use a number with ms, s, m, h or d (for example 30s, 1h, 14d)");
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

  /** The shortest exact form, so defaults print back the way they are documented. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms == 0) {
      return "0s";
    }
    if (ms % 86_400_000L == 0) return ms / 86_400_000L + "d";
    if (ms % 3_600_000L == 0) return ms / 3_600_000L + "h";
    if (ms % 60_000L == 0) return ms / 60_000L + "m";
    if (ms % 1_000L == 0) return ms / 1_000L + "s";
    return ms + "ms";
  }
}
