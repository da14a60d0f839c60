package dev.turbocache.server.auth;

import java.util.Optional;

/**
 * What a token may do. Levels are ordered: each one includes everything the levels below it
 * allow, so a route only has to state the minimum it needs.
 */
public enum AccessLevel {
  /** Download artifacts and query their existence. */
  READ("read"),
  /** Also upload artifacts. */
  READWRITE("readwrite"),
  /** Also use the {@code /admin/} API. */
  ADMIN("admin");

  private final String configName;

  AccessLevel(String configName) {
    this.configName = configName;
  }

  /** The spelling used in the tokens file and in messages. */
  public String configName() {
    return configName;
  }

  /** Whether a holder of this level may do something that needs {@code required}. */
  public boolean allows(AccessLevel required) {
    // Declaration order is the privilege order; keep the constants sorted.
    return compareTo(required) >= 0;
  }

  /**
   * Parses the tokens-file spelling. Only the exact lower-case names are accepted so that the file
   * has one spelling per level, which keeps grep and reviews simple.
   */
  public static Optional<AccessLevel> fromConfigName(String name) {
    for (AccessLevel level : values()) {
      if (level.configName.equals(name)) {
        return Optional.of(level);
      }
    }
    return Optional.empty();
  }

  /** {@code "read, readwrite, admin"}, for error messages. */
  static String allNames() {
    StringBuilder sb = new StringBuilder();
    for (AccessLevel level : values()) {
      if (!sb.isEmpty()) {
        sb.append(", ");
      }
      sb.append(level.configName);
    }
    return sb.toString();
  }
}
