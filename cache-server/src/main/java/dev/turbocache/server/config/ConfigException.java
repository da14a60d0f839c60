package dev.turbocache.server.config;

/** A configuration problem, with a message that names the setting and says what is allowed. */
public class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
