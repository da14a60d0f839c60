package dev.turbocache.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import dev.turbocache.server.config.TurboCacheConfig;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.turbocache.server.http.AccessLog;
import dev.turbocache.server.http.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LoggingSetupTest {
  private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
  private final Logger access = context.getLogger(AccessLog.LOGGER);

  @AfterEach
  void restoreTestLogging() {
    LoggingSetup.apply(new TurboCacheConfig.Logging("info", "text", true));
  }

  @Test
  void jsonFormatWritesAccessLinesAsTheyAreNotWrappedInAnotherJsonObject() {
    LoggingSetup.apply(new TurboCacheConfig.Logging("info", "json", true));
    assertThat(access.getLevel()).isEqualTo(Level.INFO);
    assertThat(access.isAdditive()).as("not also through the root JSON encoder").isFalse();
    ConsoleAppender<ILoggingEvent> appender = (ConsoleAppender<ILoggingEvent>) access.getAppender("access");
    assertThat(appender).isNotNull();
    assertThat(((PatternLayoutEncoder) appender.getEncoder()).getPattern()).isEqualTo("%msg%n");
  }

  /** Server lines and access lines: one ISO-8601 timestamp field, messages with their arguments filled in. */
  @Test
  void jsonLinesCarryAnIsoTimestampAndTheFormattedMessage() throws Exception {
    LoggingSetup.apply(new TurboCacheConfig.Logging("info", "json", true));
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    ConsoleAppender<ILoggingEvent> appender = (ConsoleAppender<ILoggingEvent>) root.getAppender("console");
    LoggingEvent event = new LoggingEvent(Logger.class.getName(), context.getLogger("dev.turbocache.test"),
        Level.INFO, "generated a token into {}", null, new Object[] {"/data/token"});
    event.setTimeStamp(Instant.parse("2026-03-04T05:06:07.089Z").toEpochMilli());

    byte[] line = appender.getEncoder().encode(event);
    JsonNode json = Json.MAPPER.readTree(line);

    assertThat(new String(line, StandardCharsets.UTF_8)).endsWith("}\n").doesNotContain("{}");
    assertThat(json.path(AccessLog.TIMESTAMP_FIELD).asText()).isEqualTo("2026-03-04T05:06:07.089Z");
    assertThat(json.path("message").asText()).isEqualTo("generated a token into /data/token");
    assertThat(json.path("level").asText()).isEqualTo("INFO");
    assertThat(json.path("logger").asText()).isEqualTo("dev.turbocache.test");
    assertThat(json.has("arguments")).isFalse();
  }

  @Test
  void accessLogSwitchedOffSilencesTheAccessLogger() {
    LoggingSetup.apply(new TurboCacheConfig.Logging("debug", "text", false));
    assertThat(access.isInfoEnabled()).isFalse();
    assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.DEBUG);
    assertThat(access.isAdditive()).isTrue();
  }
}
