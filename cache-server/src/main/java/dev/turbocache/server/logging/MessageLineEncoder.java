package dev.turbocache.server.logging;

import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.CoreConstants;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import dev.turbocache.server.http.JsonLine;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code %msg%n}, what the JSON access lines are written with, without running the pattern
 * layout for each line: the formatted message and the line separator, in the encoder's charset.
 * There is a line for every request, and the layout's buffers cost more than the message.
 */
final class MessageLineEncoder extends PatternLayoutEncoder {
  static final String PATTERN = "%msg%n";
  /** Lines are separated by the line separator, not by the generator's space between root values. */
  private static final JsonFactory LINES = new JsonFactoryBuilder().rootValueSeparator((String) null)
      .disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();
  private static final byte[] SEPARATOR = CoreConstants.LINE_SEPARATOR.getBytes(StandardCharsets.UTF_8);

  MessageLineEncoder() {
    setPattern(PATTERN);
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    String line = event.getFormattedMessage() + CoreConstants.LINE_SEPARATOR;
    Charset charset = getCharset();
    return charset == null ? line.getBytes() : line.getBytes(charset);
  }

  /**
   * Writes the lines of a batch into {@code out}, each as {@link #encode} would. A line whose
   * message is one {@link JsonLine} is generated straight into UTF-8 bytes, through one
   * generator for the whole batch; that is the same JSON value as its text, though characters
   * outside the Basic Multilingual Plane come out as {@code \\u} escapes.
   *
   * @param failed called with a line that could not be encoded (it is left out)
   */
  void encodeBatch(List<ILoggingEvent> events, OutputStream out, OnFailure failed) throws IOException {
    if (!writesUtf8()) {
      for (ILoggingEvent event : events) {
        encodeOne(event, out, failed);
      }
      return;
    }
    JsonGenerator json = null;
    for (ILoggingEvent event : events) {
      JsonLine line = jsonLine(event);
      if (line == null) {
        if (json != null) {
          json.flush();
        }
        encodeOne(event, out, failed);
        continue;
      }
      if (json == null) {
        json = LINES.createGenerator(out, JsonEncoding.UTF8);
      }
      try {
        line.writeTo(json);
      } catch (RuntimeException | IOException e) {
        failed.accept(event, e);
        // Closing ends the half-written object; the next line gets a generator of its own.
        json.close();
        json = null;
        out.write(SEPARATOR);
        continue;
      }
      json.writeRaw(CoreConstants.LINE_SEPARATOR);
    }
    if (json != null) {
      json.close();
    }
  }

  /** Called for a line that could not be encoded. */
  interface OnFailure {
    void accept(ILoggingEvent event, Exception cause);
  }

  private void encodeOne(ILoggingEvent event, OutputStream out, OnFailure failed) throws IOException {
    byte[] bytes;
    try {
      bytes = encode(event);
    } catch (RuntimeException e) {
      failed.accept(event, e);
      return;
    }
    out.write(bytes);
  }

  private boolean writesUtf8() {
    Charset charset = getCharset();
    return (charset == null ? Charset.defaultCharset() : charset).equals(StandardCharsets.UTF_8);
  }

  private static JsonLine jsonLine(ILoggingEvent event) {
    Object[] arguments = event.getArgumentArray();
    return "{}".equals(event.getMessage()) && arguments != null && arguments.length == 1
        && arguments[0] instanceof JsonLine line ? line : null;
  }
}
