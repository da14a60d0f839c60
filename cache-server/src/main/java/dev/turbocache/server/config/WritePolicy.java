package dev.turbocache.server.config;

import java.util.Arrays;
import java.util.List;

/** When an upload is acknowledged ({@code storage.writePolicy}). */
public enum WritePolicy {
  /** Once the durable tier has it. */
  WRITE_THROUGH("write-through"),
  /** Once the tiers above the durable one have it; a queue writes it into the durable tier. */
  WRITE_BACK("write-back");

  private final String configName;

  WritePolicy(String configName) {
    this.configName = configName;
  }

  public String configName() {
    return configName;
  }

  /** The policy called {@code name} in the configuration. */
  public static WritePolicy named(String name) {
    return Arrays.stream(values()).filter(p -> p.configName.equals(name)).findFirst()
        .orElseThrow(() -> new ConfigException(
            "storage.writePolicy must be one of " + configNames()));
  }

  static List<String> configNames() {
    return Arrays.stream(values()).map(WritePolicy::configName).toList();
  }
}
