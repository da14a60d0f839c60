package dev.turbocache.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turbocache.server.http.JsonLine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageLineEncoderTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final LoggerContext context = new LoggerContext();
  private final MessageLineEncoder direct = new MessageLineEncoder();

  MessageLineEncoderTest() {
    direct.setContext(context);
    direct.start();
  }

  @Test
  void writesWhatThePatternLayoutWrites() {
    PatternLayoutEncoder layout = new PatternLayoutEncoder();
    layout.setPattern(MessageLineEncoder.PATTERN);
    layout.setContext(context);
    layout.start();
    LoggingEvent event = event("{\"a\":{}}", "ünïcode \"quoted\"");

    assertThat(direct.encode(event)).isEqualTo(layout.encode(event));
    assertThat(direct.getPattern()).isEqualTo("%msg%n");
  }

  /**
   * A batch of JSON lines, generated straight into bytes, is line for line the JSON value of each
   * line's text; other lines in between come out as {@link MessageLineEncoder#encode} makes them.
   */
  @Test
  void aBatchIsEveryLineAsItsTextSaysInOrder() throws IOException {
    List<String> values = List.of("/v8/artifacts/abc", "quote\" backslash\\ slash/", "tab\t newline\n nul\0 bell\u0007",
        "unicode äé ✓ \uD83D\uDE00", "\u007f\u2028", "lone \uD800 surrogate");
    List<ILoggingEvent> batch = new ArrayList<>();
    for (String value : values) {
      batch.add(event("{}", line(value)));
    }
    batch.add(2, event("plain {}", "text"));

    List<String> out = encode(batch, new ArrayList<>());

    assertThat(out).hasSize(batch.size());
    assertThat(out.get(2)).isEqualTo("plain text");
    out.remove(2);
    batch.remove(2);
    for (int i = 0; i < out.size(); i++) {
      assertThat(JSON.readTree(out.get(i))).isEqualTo(JSON.readTree(batch.get(i).getFormattedMessage()));
    }
    assertThat(out.get(0)).isEqualTo(batch.get(0).getFormattedMessage());
  }

  /** A line that fails half-way is reported, still ends as a JSON object, and spoils no other line. */
  @Test
  void aLineThatFailsSpoilsNoOther() throws IOException {
    JsonLine failing = json -> {
      json.writeStartObject();
      json.writeStringField("path", "half");
      throw new IllegalStateException("broken");
    };
    List<Exception> failures = new ArrayList<>();

    List<String> out = encode(List.of(event("{}", line("a")), event("{}", failing), event("{}", line("b"))), failures);

    assertThat(failures).singleElement().extracting(Exception::getMessage).isEqualTo("broken");
    assertThat(out).containsExactly("{\"path\":\"a\"}", "{\"path\":\"half\"}", "{\"path\":\"b\"}");
  }

  private List<String> encode(List<ILoggingEvent> batch, List<Exception> failures) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    direct.encodeBatch(batch, bytes, (event, e) -> failures.add(e));
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertThat(text).endsWith("\n");
    return new ArrayList<>(text.lines().toList());
  }

  /** A one-field JSON line whose text is the generator's own output, as the access line's is. */
  private static JsonLine line(String path) {
    return new JsonLine() {
      @Override
      public void writeTo(com.fasterxml.jackson.core.JsonGenerator json) throws IOException {
        json.writeStartObject();
        json.writeStringField("path", path);
        json.writeEndObject();
      }

      @Override
      public String toString() {
        try {
          return JSON.writeValueAsString(java.util.Map.of("path", path));
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
    };
  }

  private LoggingEvent event(String message, Object argument) {
    return new LoggingEvent(Logger.class.getName(), context.getLogger("t"), Level.INFO, message, null,
        new Object[] {argument});
  }
}
