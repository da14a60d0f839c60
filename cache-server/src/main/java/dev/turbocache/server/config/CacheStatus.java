package dev.turbocache.server.config;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What {@code GET /v8/artifacts/status} reports ({@code server.status}): turbo prints a warning
 * for anything but {@code enabled}, and still reads and writes.
 */
public enum CacheStatus {
  ENABLED,
  DISABLED,
  OVER_LIMIT,
  PAUSED;

  /** As the configuration and the protocol spell it: {@code enabled}, {@code over_limit}... */
  @JsonValue
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The status called {@code name} in the configuration. */
  public static CacheStatus named(String name) {
    return Arrays.stream(values()).filter(s -> s.configName().equals(name)).findFirst()
        .orElseThrow(() -> new ConfigException("server.status must be one of " + configNames()));
  }

  static List<String> configNames() {
    return Arrays.stream(values()).map(CacheStatus::configName).toList();
  }
}
