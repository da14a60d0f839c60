package dev.turbocache.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BatchingConsoleAppenderTest {
  private final LoggerContext context = new LoggerContext();
  private final Logger logger = context.getLogger("test");

  /** More lines than the queue holds: none is lost, none reordered, and drain waits for them. */
  @Test
  void everyLineComesOutInOrderAndAfterADrainAtOnce() {
    context.setMDCAdapter(new LogbackMDCAdapter());
    BatchingConsoleAppender appender = new BatchingConsoleAppender();
    appender.setContext(context);
    appender.setName("access");
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setPattern("%msg%n");
    encoder.setContext(context);
    encoder.start();
    appender.setEncoder(encoder);
    appender.start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    appender.setOutputStream(out);

    List<String> lines = IntStream.range(0, 20_000).mapToObj(i -> "line " + i).toList();
    lines.forEach(line -> appender.doAppend(event("{}", line)));
    appender.drain();

    assertThat(out.toString(StandardCharsets.UTF_8).lines()).containsExactlyElementsOf(lines);
    appender.doAppend(event("after {}", "the drain"));
    assertThat(out.toString(StandardCharsets.UTF_8)).endsWith("line 19999\nafter the drain\n");
    appender.stop();
  }

  private LoggingEvent event(String message, Object argument) {
    return new LoggingEvent(Logger.class.getName(), logger, Level.INFO, message, null,
        new Object[] {argument});
  }
}
