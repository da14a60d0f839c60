package dev.turbocache.server.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A size setting such as {@code 512Mi}, {@code 2Gi}, {@code 100MB} or a plain byte count. Binary
 * suffixes (Ki, Mi, Gi, Ti, also written KiB...) are powers of 1024; decimal ones (K/KB, M/MB...)
 * powers of 1000, the same convention as Kubernetes quantities.
 */
public record ByteSize(long bytes) {
  private static final Pattern FORMAT =
      Pattern.compile("^\\s*(\\d+)\\s*([KMGTkmgt]i?[Bb]?|[Bb])?\\s*$");

  public ByteSize {
    if (bytes < 0) {
      throw new IllegalArgumentException("size must not be negative");
    }
  }

  public static ByteSize ofBytes(long bytes) {
    return new ByteSize(bytes);
  }

  @JsonCreator
  public static ByteSize parse(Object value) {
    if (value instanceof Number n) {
      return new ByteSize(n.longValue());
    }
    String text = String.valueOf(value);
    Matcher m = FORMAT.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "invalid size '" + text + "': use a byte count or a number with Ki, Mi, Gi, Ti (or K, M, G, T)");
    }
    long number = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "" : m.group(2).toLowerCase(Locale.ROOT).replace("b", "");
    long factor =
        switch (unit) {
          case "" -> 1L;
          case "k" -> 1_000L;
          case "m" -> 1_000_000L;
          case "g" -> 1_000_000_000L;
          case "t" -> 1_000_000_000_000L;
          case "ki" -> 1L << 10;
          case "mi" -> 1L << 20;
          case "gi" -> 1L << 30;
          case "ti" -> 1L << 40;
          default -> throw new IllegalArgumentException("invalid size unit in '" + text + "'");
        };
    return new ByteSize(Math.multiplyExact(number, factor));
  }

  @JsonValue
  @Override
  public String toString() {
    String[] units = {"Ti", "Gi", "Mi", "Ki"};
    int[] shifts = {40, 30, 20, 10};
    for (int i = 0; i < units.length; i++) {
      long unit = 1L << shifts[i];
      if (bytes != 0 && bytes % unit == 0) {
        return (bytes / unit) + units[i];
      }
    }
    return Long.toString(bytes);
  }
}
