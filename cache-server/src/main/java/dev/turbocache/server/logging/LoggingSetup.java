package dev.turbocache.server.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import dev.turbocache.server.config.TurboCacheConfig;
import dev.turbocache.server.http.AccessLog;
import java.util.Map;
import net.logstash.logback.encoder.LogstashEncoder;
import net.logstash.logback.fieldnames.LogstashFieldNames;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code logging.level}, {@code logging.format} and {@code logging.accessLog} at startup: JSON lines (for log
 * collectors in Kubernetes) or plain text (for a terminal), on standard output.
 */
public final class LoggingSetup {
  private LoggingSetup() {}

  /**
   * One object per line: {@link AccessLog#TIMESTAMP_FIELD} (ISO-8601 in UTC, the same field and
   * form as the access lines), level, logger, thread, the formatted message and, for failures,
   * the stack trace.
   */
  static LogstashEncoder jsonEncoder() {
    LogstashEncoder json = new LogstashEncoder();
    json.setTimestampPattern("[ISO_INSTANT]");
    json.setTimeZone("UTC");
    json.setIncludeContext(false);
    LogstashFieldNames names = json.getFieldNames();
    names.setTimestamp(AccessLog.TIMESTAMP_FIELD);
    names.setVersion(LogstashFieldNames.IGNORE_FIELD_INDICATOR);
    names.setLevelValue(LogstashFieldNames.IGNORE_FIELD_INDICATOR);
    names.setLogger("logger");
    names.setThread("thread");
    names.setStackTrace("stackTrace");
    return json;
  }

  public static void apply(TurboCacheConfig.Logging logging) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.detachAndStopAllAppenders();

    Encoder<ILoggingEvent> encoder;
    if ("json".equals(logging.format())) {
      encoder = jsonEncoder();
    } else {
      PatternLayoutEncoder text = new PatternLayoutEncoder();
      text.setPattern("%d{HH:mm:ss.SSS} %-5level %logger{20} - %msg%n");
      encoder = text;
    }
    encoder.setContext(context);
    encoder.start();

    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName("console");
    console.setEncoder(encoder);
    console.start();

    root.addAppender(console);
    root.setLevel(Level.toLevel(logging.level(), Level.INFO));

    // Access lines are already JSON objects: in json format they go out as they are (one object
    // per line, not a JSON string inside logback's envelope); in text format they follow the
    // root appender like any other line.
    Logger access = context.getLogger(AccessLog.LOGGER);
    access.detachAndStopAllAppenders();
    access.setLevel(logging.accessLog() ? Level.INFO : Level.OFF);
    if ("json".equals(logging.format())) {
      PatternLayoutEncoder raw = new MessageLineEncoder();
      raw.setContext(context);
      raw.start();
      // A line per request: written in batches from a thread of its own.
      ConsoleAppender<ILoggingEvent> accessOut = new BatchingConsoleAppender();
      accessOut.setContext(context);
      accessOut.setName("access");
      accessOut.setEncoder(raw);
      accessOut.start();
      access.addAppender(accessOut);
      access.setAdditive(false);
    } else {
      access.setAdditive(true);
    }
  }

  /**
   * Sets the level ({@code debug}, {@code info}...) of each named logger and of those below it
   * that have none of their own, whatever the root's level.
   */
  public static void setLevels(Map<String, String> levels) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    levels.forEach((name, level) -> context.getLogger(name).setLevel(Level.toLevel(level)));
  }

  /**
   * Writes the access lines still queued and from then on writes them as they come: for the end
   * of the process, after the server has closed.
   */
  public static void flushAccessLog() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    if (context.getLogger(AccessLog.LOGGER).getAppender("access")
        instanceof BatchingConsoleAppender batching) {
      batching.drain();
    }
  }
}
