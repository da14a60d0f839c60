package dev.turbocache.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.Test;

class MessageLineEncoderTest {
  private final LoggerContext context = new LoggerContext();

  @Test
  void writesWhatThePatternLayoutWrites() {
    PatternLayoutEncoder layout = new PatternLayoutEncoder();
    layout.setPattern(MessageLineEncoder.PATTERN);
    MessageLineEncoder direct = new MessageLineEncoder();
    for (PatternLayoutEncoder encoder : new PatternLayoutEncoder[] {layout, direct}) {
      encoder.setContext(context);
      encoder.start();
    }
    LoggingEvent event = new LoggingEvent(Logger.class.getName(), context.getLogger("t"), Level.INFO,
        "{\"a\":{}}", null, new Object[] {"ünïcode \"quoted\""});

    assertThat(direct.encode(event)).isEqualTo(layout.encode(event));
    assertThat(direct.getPattern()).isEqualTo("%msg%n");
  }
}
