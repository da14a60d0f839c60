package dev.turbocache.server.app;

import dev.turbocache.server.auth.jwt.JwtSetup;
import dev.turbocache.server.auth.jwt.RevokedTokenStore;
import dev.turbocache.server.auth.jwt.RevokedTokensFile;
import dev.turbocache.server.config.TierType;
import dev.turbocache.server.config.TurboCacheConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Starts JWT authentication when {@code auth.jwt.issuers} names any issuer, with its revocations
 * in Redis when the storage has a redis tier (every server using that Redis shares them), else in
 * the revocation file.
 */
final class JwtAuthentication {
  static final String REVOCATION_FILE = "revoked-tokens.json";

  private JwtAuthentication() {}

  /** The setup, or null when no issuer is configured. */
  static JwtSetup start(TurboCacheConfig config, Path dataDir, MeterRegistry meters,
      ServerThreads threads) {
    TurboCacheConfig.Jwt jwt = config.auth().jwt();
    if (!jwt.enabled()) {
      return null;
    }
    Clock clock = Clock.systemUTC();
    return JwtSetup.start(jwt, store(config, dataDir, clock), meters, clock, config.auth().reloadInterval(),
        threads.tokenVerifiers());
  }

  private static RevokedTokenStore store(TurboCacheConfig config, Path dataDir, Clock clock) {
    if (config.storage().tierTypes().contains(TierType.REDIS)) {
      return new RedisRevokedTokens(config.storage().redis(), clock);
    }
    Path file = config.auth().jwt().revocationFile() != null
        ? config.auth().jwt().revocationFile()
        : dataDir.resolve(REVOCATION_FILE);
    try {
      return new RevokedTokensFile(file, clock);
    } catch (IOException e) {
      throw new UncheckedIOException("the revoked tokens file " + file + " is unreadable", e);
    }
  }
}
