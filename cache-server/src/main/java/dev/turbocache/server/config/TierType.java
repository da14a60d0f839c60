package dev.turbocache.server.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The storage tiers a server can run, as {@code storage.tiers} names them. */
public enum TierType {
  MEMORY,
  DISK,
  REDIS,
  S3;

  /** The name in the configuration: {@code memory}, {@code disk}, {@code redis}, {@code s3}. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The type called {@code name} in the configuration. */
  public static TierType named(String name) {
    return Arrays.stream(values()).filter(t -> t.configName().equals(name)).findFirst()
        .orElseThrow(() -> new ConfigException("storage.tiers: unknown tier '" + name
            + "' (known: " + configNames() + ")"));
  }

  static List<String> configNames() {
    return Arrays.stream(values()).map(TierType::configName).toList();
  }
}
