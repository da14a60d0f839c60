package dev.turbocache.server.http;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.time.Instant;

/**
 * What one access line says, taken when the exchange completed (a JWT caller's issuer and
 * subject instead of a token name); {@link #toString()} is the line,
 * a JSON object with the fields in output order. Rendered by hand into one buffer, with Jackson's
 * string escaping: a JSON generator per line (and a map for the object mapper before that) cost
 * more than the rest of the logging, and there is a line for every request.
 */
record AccessLine(Instant time, String requestId, String method, String route, String path,
    String team, String token, String issuer, String subject, int status, long bytesIn, long bytesOut, long durationNanos) {

  /** The ISO-8601 second of the last line rendered: lines within one second share it. */
  private static volatile Second lastSecond = new Second(0, Instant.EPOCH.toString());

  private record Second(long epochSecond, String text) {}

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder(400);
    out.append("{\"").append(AccessLog.TIMESTAMP_FIELD).append("\":\"");
    appendInstant(out, time);
    out.append("\",\"type\":\"access\"");
    string(out, "requestId", requestId);
    string(out, "method", method);
    string(out, "route", route);
    string(out, "path", path);
    string(out, "team", team);
    string(out, "token", token);
    if (issuer != null) {
      string(out, "issuer", issuer);
      string(out, "subject", subject);
    }
    out.append(",\"status\":").append(status);
    out.append(",\"bytesIn\":").append(bytesIn);
    out.append(",\"bytesOut\":").append(bytesOut);
    out.append(",\"durationMs\":").append(Math.round(durationNanos / 1_000.0) / 1000.0);
    return out.append('}').toString();
  }

  private static void string(StringBuilder out, String name, String value) {
    out.append(",\"").append(name).append("\":");
    if (value == null) {
      out.append("null");
      return;
    }
    out.append('"');
    JsonStringEncoder.getInstance().quoteAsString(value, out);
    out.append('"');
  }

  /**
   * {@link Instant#toString()}: the second as the JDK formats it (kept for the lines of that
   * second), then the fraction in groups of three digits, as many as it needs, and {@code Z}.
   */
  static void appendInstant(StringBuilder out, Instant time) {
    Second second = lastSecond;
    if (second.epochSecond() != time.getEpochSecond()) {
      String whole = Instant.ofEpochSecond(time.getEpochSecond()).toString();
      second = new Second(time.getEpochSecond(), whole.substring(0, whole.length() - 1));
      lastSecond = second;
    }
    out.append(second.text());
    int nano = time.getNano();
    if (nano != 0) {
      int digits = nano % 1_000_000 == 0 ? 3 : nano % 1_000 == 0 ? 6 : 9;
      int value = digits == 3 ? nano / 1_000_000 : digits == 6 ? nano / 1_000 : nano;
      String text = Integer.toString(value);
      out.append('.');
      for (int i = text.length(); i < digits; i++) {
        out.append('0');
      }
      out.append(text);
    }
    out.append('Z');
  }
}
