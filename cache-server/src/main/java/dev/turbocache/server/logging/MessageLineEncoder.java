package dev.turbocache.server.logging;

import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.CoreConstants;
import java.nio.charset.Charset;

/**
 * {@code %msg%n}, what the JSON access lines are written with, without running the pattern
 * layout for each line: the formatted message and the line separator, in the encoder's charset.
 * There is a line for every request, and the layout's buffers cost more than the message.
 */
final class MessageLineEncoder extends PatternLayoutEncoder {
  static final String PATTERN = "%msg%n";

  MessageLineEncoder() {
    setPattern(PATTERN);
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    String line = event.getFormattedMessage() + CoreConstants.LINE_SEPARATOR;
    Charset charset = getCharset();
    return charset == null ? line.getBytes() : line.getBytes(charset);
  }
}
