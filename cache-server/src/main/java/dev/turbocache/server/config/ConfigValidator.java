package dev.turbocache.server.config;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Checks that bind cannot express: allowed values, ranges and combinations. */
final class ConfigValidator {
  static final Set<String> LOG_FORMATS = Set.of("json", "text");

  private ConfigValidator() {}

  static void validate(TurboCacheConfig c) {
    TurboCacheConfig.Server s = c.server();
    require(s.port() >= 0 && s.port() <= 65535, "server.port must be between 0 and 65535");
    if (s.hasManagementPort()) {
      require(s.managementPort() >= 0 && s.managementPort() <= 65535,
          "server.managementPort must be between 0 and 65535, or empty for none");
      require(s.managementPort() == 0 || s.managementPort() != s.port(),
          "server.managementPort must differ from server.port (" + s.port()
              + "): it keeps /metrics off the port clients use; leave it empty to serve /metrics on server.port");
    }
    s.cacheStatus();
    require(s.maxArtifactSize().bytes() > 0, "server.maxArtifactSize must be positive");
    require(s.ioThreads() >= 0 && s.workerThreads() >= 0, "server thread counts must be >= 0");
    requirePositive(s.firstRequestTimeout(), "server.firstRequestTimeout");
    requirePositive(s.requestHeaderTimeout(), "server.requestHeaderTimeout");
    requirePositive(s.idleTimeout(), "server.idleTimeout");
    requirePositive(s.bodyReadTimeout(), "server.bodyReadTimeout");
    requirePositive(s.sendTimeout(), "server.sendTimeout");
    require(s.maxConcurrentUploads() > 0 && s.maxConcurrentUploadsPerClient() > 0,
        "server.maxConcurrentUploads and server.maxConcurrentUploadsPerClient must be positive");
    require(!c.auth().reloadInterval().isNegative() && !c.auth().reloadInterval().isZero(),
        "auth.reloadInterval must be positive");
    JwtConfigValidator.validate(c.auth().jwt());
    require(c.storage().tiers() != null && !c.storage().tiers().isEmpty(),
        "storage.tiers must name at least one tier");
    List<TierType> tiers = c.storage().tierTypes();
    Set<TierType> seen = EnumSet.noneOf(TierType.class);
    for (TierType t : tiers) {
      require(seen.add(t), "storage.tiers: tier '" + t.configName() + "' listed twice");
    }
    c.storage().writePolicyType();
    if (tiers.contains(TierType.REDIS)) {
      require(c.storage().redis().uri() != null,
          "storage.redis.uri must be set when storage.tiers includes redis");
    }
    if (tiers.contains(TierType.S3)) {
      require(c.storage().s3().bucket() != null,
          "storage.s3.bucket must be set when storage.tiers includes s3");
    }
    require(c.storage().writeBack().maxEntries() > 0 && c.storage().writeBack().workers() > 0,
        "storage.writeBack.maxEntries and storage.writeBack.workers must be positive");
    TurboCacheConfig.CircuitBreaker breaker = c.storage().circuitBreaker();
    require(breaker.failureThreshold() > 0, "storage.circuitBreaker.failureThreshold must be positive");
    requirePositive(breaker.openDuration(), "storage.circuitBreaker.openDuration");
    require(breaker.maxOpenDuration().compareTo(breaker.openDuration()) >= 0,
        "storage.circuitBreaker.maxOpenDuration must not be shorter than openDuration");
    require(LOG_FORMATS.contains(c.logging().format()), "logging.format must be one of " + LOG_FORMATS);
    require(c.metrics().maxTeams() >= 0, "metrics.maxTeams must be >= 0");
  }

  /**
   * Timeouts travel to Undertow and XNIO as int milliseconds (at most 24.8 days); the bound is a
   * round 24 days, which the operator's CRD checks too.
   */
  private static final Duration LONGEST_TIMEOUT = Duration.ofDays(24);

  private static void requirePositive(Duration d, String setting) {
    require(!d.isNegative() && !d.isZero() && d.compareTo(LONGEST_TIMEOUT) <= 0,
        setting + " must be positive and at most 24d");
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new ConfigException(message);
    }
  }
}
