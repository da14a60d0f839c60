package dev.turbocache.server.app;

import dev.turbocache.server.auth.jwt.RevokedTokenStore;
import dev.turbocache.server.config.TurboCacheConfig;
import dev.turbocache.server.storage.redis.RedisExpiringSet;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/** Revoked token ids in the redis tier's Redis, shared by every server using it. */
final class RedisRevokedTokens implements RevokedTokenStore {
  private static final String SET_NAME = "revoked-jti";

  private final RedisExpiringSet set;
  private final Clock clock;

  RedisRevokedTokens(TurboCacheConfig.Redis redis, Clock clock) {
    this.set = RedisExpiringSet.open(redis, SET_NAME);
    this.clock = clock;
  }

  @Override
  public void add(String jti, Instant until) throws IOException {
    set.add(jti, until);
  }

  @Override
  public Map<String, Instant> load() throws IOException {
    return set.members(clock.instant());
  }

  @Override
  public boolean shared() {
    return true;
  }

  @Override
  public void close() {
    set.close();
  }
}
