package dev.turbocache.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.StringWriter;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The hand-rendered access line is what Jackson's generator writes for the same fields. */
class AccessLineTest {

  @ParameterizedTest
  @ValueSource(strings = {"/v8/artifacts/abc", "quote\" backslash\\ slash/", "tab\t newline\n nul\0 bell\u0007",
      "unicode äé ✓ \uD83D\uDE00", "\u007f\u2028"})
  void matchesJacksonsOutput(String text) throws Exception {
    AccessLine line = new AccessLine(Instant.parse("2026-12-02T00:42:07.707452444Z"), "id-1", "GET",
        "/v8/artifacts/{hash}", text, text, null, null, null, 404, 0, 71, 1_234_567);

    assertThat(line.toString()).isEqualTo(jackson(line));
  }

  @ParameterizedTest
  @ValueSource(strings = {"repo:acme/app:ref:refs/heads/main", "quote\" \u2028"})
  void aJwtCallerIsItsIssuerAndSubject(String subject) throws Exception {
    AccessLine line = new AccessLine(Instant.parse("2026-12-02T00:42:07Z"), "id-2", "PUT",
        "/v8/artifacts/{hash}", "/v8/artifacts/abc", "acme", null, "https://token.actions.githubusercontent.com",
        subject, 202, 4096, 60, 2_000_000);

    assertThat(line.toString()).isEqualTo(jackson(line));
  }

  @ParameterizedTest
  @ValueSource(strings = {"2026-12-02T00:42:07Z", "2026-12-02T00:42:07.100Z", "2026-12-02T00:42:07.000100Z",
      "2026-12-02T00:42:07.000000001Z", "2026-12-02T00:42:07.123456789Z", "1970-01-01T00:00:00Z",
      "+10000-01-01T00:00:00.5Z"})
  void timestampsAreWhatInstantPrints(String text) {
    Instant time = Instant.parse(text);
    StringBuilder out = new StringBuilder();
    AccessLine.appendInstant(out, time);
    AccessLine.appendInstant(out.append(' '), time.plusNanos(1));

    assertThat(out.toString()).isEqualTo(time + " " + time.plusNanos(1));
  }

  @ParameterizedTest
  @ValueSource(longs = {0, 1, 10, 100, 999, 1_000, 1_001, 1_010, 1_500, 12_345, 461, 9_999_999_999L, 123_456_789})
  void durationsAreWhatDoublePrints(long micros) {
    StringBuilder out = new StringBuilder();
    assertThat(AccessLine.appendMillis(out, micros)).isTrue();
    assertThat(out.toString()).isEqualTo(Double.toString(micros / 1000.0));
  }

  @Test
  void durationsInExponentNotationAreLeftToTheGenerator() throws Exception {
    StringBuilder out = new StringBuilder();
    assertThat(AccessLine.appendMillis(out, 10_000_000_000L)).isFalse();
    assertThat(out).isEmpty();
    AccessLine hours = new AccessLine(Instant.parse("2026-12-02T00:42:07Z"), "id-3", "GET",
        "/v8/artifacts/{hash}", "/v8/artifacts/abc", "acme", "ci", null, null, 200, 0, 10, 10_000_000_000_000L);
    assertThat(hours.toString()).isEqualTo(jackson(hours)).contains("\"durationMs\":1.0E7");
  }

  private static String jackson(AccessLine l) throws Exception {
    StringWriter out = new StringWriter();
    try (JsonGenerator json = Json.MAPPER.getFactory().createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField(AccessLog.TIMESTAMP_FIELD, l.time().toString());
      json.writeStringField("type", "access");
      json.writeStringField("requestId", l.requestId());
      json.writeStringField("method", l.method());
      json.writeStringField("route", l.route());
      json.writeStringField("path", l.path());
      json.writeStringField("team", l.team());
      json.writeStringField("token", l.token());
      if (l.issuer() != null) {
        json.writeStringField("issuer", l.issuer());
        json.writeStringField("subject", l.subject());
      }
      json.writeNumberField("status", l.status());
      json.writeNumberField("bytesIn", l.bytesIn());
      json.writeNumberField("bytesOut", l.bytesOut());
      json.writeNumberField("durationMs", Math.round(l.durationNanos() / 1_000.0) / 1000.0);
      json.writeEndObject();
    }
    return out.toString();
  }
}
