package dev.turbocache.server.http;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * What one access line says, taken when the exchange completed (a JWT caller's issuer and
 * subject instead of a token name): a JSON object with the fields in output order. The JSON
 * access appender writes it into the generator of its batch ({@link #writeTo}), so a line costs
 * no string of its own; {@link #toString()} is the same object as text.
 */
record AccessLine(Instant time, String requestId, String method, String route, String path,
    String team, String token, String issuer, String subject, int status, long bytesIn, long bytesOut, long durationNanos)
    implements JsonLine {

  /** The ISO-8601 second of the last line rendered: lines within one second share it. */
  private static volatile Second lastSecond = new Second(0, Instant.EPOCH.toString());

  private record Second(long epochSecond, String text) {}

  /**
   * The characters of the timestamp and the duration, reused by the thread that writes lines (the
   * access appender's), so a line costs no strings of its own.
   */
  private record Scratch(StringBuilder text, char[] chars) {
    char[] chars(StringBuilder from) {
      from.getChars(0, from.length(), chars, 0);
      return chars;
    }
  }

  private static final ThreadLocal<Scratch> SCRATCH =
      ThreadLocal.withInitial(() -> new Scratch(new StringBuilder(48), new char[48]));

  @Override
  public void writeTo(JsonGenerator json) throws IOException {
    json.writeStartObject();
    json.writeFieldName(AccessLog.TIMESTAMP_FIELD);
    Scratch scratch = SCRATCH.get();
    StringBuilder text = scratch.text();
    text.setLength(0);
    appendInstant(text, time());
    json.writeString(scratch.chars(text), 0, text.length());
    json.writeStringField("type", "access");
    json.writeStringField("requestId", requestId);
    json.writeStringField("method", method);
    json.writeStringField("route", route);
    json.writeStringField("path", path);
    json.writeStringField("team", team);
    json.writeStringField("token", token);
    if (issuer != null) {
      json.writeStringField("issuer", issuer);
      json.writeStringField("subject", subject);
    }
    json.writeNumberField("status", status);
    json.writeNumberField("bytesIn", bytesIn);
    json.writeNumberField("bytesOut", bytesOut);
    json.writeFieldName("durationMs");
    long micros = Math.round(durationNanos / 1_000.0);
    text.setLength(0);
    if (appendMillis(text, micros)) {
      json.writeNumber(scratch.chars(text), 0, text.length());
    } else {
      json.writeNumber(micros / 1000.0);
    }
    json.writeEndObject();
  }

  /** The line, for appenders that format the message (the text format). */
  @Override
  public String toString() {
    StringWriter out = new StringWriter(400);
    try (JsonGenerator json = Json.MAPPER.getFactory().createGenerator(out)) {
      writeTo(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
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
      out.append('.');
      appendPadded(out, value, digits);
    }
    out.append('Z');
  }

  /**
   * What {@link Double#toString} prints for {@code micros / 1000.0} (the duration in milliseconds),
   * without the string: the whole milliseconds, a point, and the microseconds without trailing
   * zeros ({@code 0.0}, {@code 1.5}, {@code 12.345}). False, having appended nothing, from
   * 10<sup>7</sup> ms on, where it switches to exponent notation.
   */
  static boolean appendMillis(StringBuilder out, long micros) {
    if (micros < 0 || micros >= 10_000_000_000L) {
      return false;
    }
    out.append(micros / 1000).append('.');
    int fraction = (int) (micros % 1000);
    if (fraction == 0) {
      out.append('0');
      return true;
    }
    int digits = 3;
    while (fraction % 10 == 0) {
      fraction /= 10;
      digits--;
    }
    appendPadded(out, fraction, digits);
    return true;
  }

  /** {@code value} in {@code digits} digits, with leading zeros. */
  private static void appendPadded(StringBuilder out, int value, int digits) {
    for (int bound = 10, d = 1; d < digits; d++, bound *= 10) {
      if (value < bound) {
        out.append('0');
      }
    }
    out.append(value);
  }
}
