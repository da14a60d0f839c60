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

  @Override
  public void writeTo(JsonGenerator json) throws IOException {
    json.writeStartObject();
    json.writeFieldName(AccessLog.TIMESTAMP_FIELD);
    StringBuilder time = new StringBuilder(32);
    appendInstant(time, time());
    json.writeString(time.toString());
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
    json.writeNumberField("durationMs", Math.round(durationNanos / 1_000.0) / 1000.0);
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
