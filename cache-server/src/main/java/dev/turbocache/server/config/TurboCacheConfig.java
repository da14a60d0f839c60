package dev.turbocache.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The whole server configuration, as read from YAML plus {@code TURBOCACHE_*} overrides. Defaults
 * live in {@code turbocache-defaults.yaml} (one place, also the source of the documentation check).
 */
public record TurboCacheConfig(Server server, Auth auth, Storage storage, Logging logging) {

  /**
   * @param host interface to bind
   * @param port TCP port
   * @param dataDir where the server keeps state (disk tier, generated token); empty means the
   *     per-user data directory
   * @param maxArtifactSize largest upload accepted (413 beyond)
   * @param status what {@code GET /v8/artifacts/status} reports: enabled, disabled, over_limit, paused
   * @param publicUrl the URL clients use, printed in the startup line; empty means http://host:port
   * @param shutdownGrace how long shutdown waits for in-flight requests
   * @param ioThreads Undertow IO threads; 0 means one per core
   * @param workerThreads blocking worker threads; 0 means 8 per core
   */
  public record Server(
      String host,
      int port,
      Path dataDir,
      ByteSize maxArtifactSize,
      String status,
      String publicUrl,
      Duration shutdownGrace,
      int ioThreads,
      int workerThreads) {}

  /**
   * @param tokensFile YAML tokens file; empty means a token generated into the data directory
   * @param anonymousRead let requests without a token read (never write)
   * @param reloadInterval how often the tokens file is checked for changes
   */
  public record Auth(Path tokensFile, boolean anonymousRead, Duration reloadInterval) {}

  /**
   * @param tiers the tiers in lookup order, top (fastest) first
   * @param writePolicy write-through or write-back
   */
  public record Storage(List<String> tiers, String writePolicy, Memory memory, Disk disk) {}

  /**
   * @param maxSize total bytes held in memory
   * @param maxArtifactSize larger artifacts skip this tier
   * @param ttl entries expire this long after being written
   */
  public record Memory(ByteSize maxSize, ByteSize maxArtifactSize, Duration ttl) {}

  /**
   * @param path directory of the disk tier; empty means {@code <dataDir>/artifacts}
   * @param maxSize total bytes on disk before least-recently-used artifacts are evicted
   * @param maxArtifactSize larger artifacts skip this tier
   */
  public record Disk(Path path, ByteSize maxSize, ByteSize maxArtifactSize) {}

  /**
   * @param level root log level
   * @param format json (one JSON object per line) or text
   */
  public record Logging(String level, String format) {}
}
