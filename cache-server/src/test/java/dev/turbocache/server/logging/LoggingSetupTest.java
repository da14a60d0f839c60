package dev.turbocache.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import dev.turbocache.server.config.TurboCacheConfig;
import dev.turbocache.server.http.AccessLog;
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

  @Test
  void accessLogSwitchedOffSilencesTheAccessLogger() {
    LoggingSetup.apply(new TurboCacheConfig.Logging("debug", "text", false));
    assertThat(access.isInfoEnabled()).isFalse();
    assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.DEBUG);
    assertThat(access.isAdditive()).isTrue();
  }
}
