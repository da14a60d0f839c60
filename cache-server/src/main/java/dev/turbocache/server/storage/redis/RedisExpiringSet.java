package dev.turbocache.server.storage.redis;

import dev.turbocache.server.config.TurboCacheConfig;
import io.lettuce.core.Range;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.ZAddArgs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * A set of strings in Redis, each kept until its own deadline: a sorted set scored by the
 * deadline (epoch milliseconds), pruned on every read. What servers sharing one Redis share
 * besides artifacts (the revoked token ids). Its key lies outside the tier's key prefix, so the
 * tier's scans (stats, listing, clearing) never see it. It connects with the redis tier's
 * settings, on a connection of its own.
 */
public final class RedisExpiringSet implements AutoCloseable {
  private final RedisConnection connection;
  private final String key;

  private RedisExpiringSet(RedisConnection connection, String key) {
    this.connection = connection;
    this.key = key;
  }

  /** The set {@code name} of the servers sharing {@code config}'s Redis and key prefix. */
  public static RedisExpiringSet open(TurboCacheConfig.Redis config, String name) {
    LettuceConnector connector = new LettuceConnector(config.uri(), config.password(),
        config.sentinelPassword(), config.commandTimeout(), config.connectTimeout());
    RedisConnection connection =
        new RedisConnection(connector, config.commandTimeout(), config.connectTimeout());
    connection.awaitFirst();
    String prefix = config.keyPrefix() == null ? "" : config.keyPrefix();
    return new RedisExpiringSet(connection, name + ":" + prefix);
  }

  /** Keeps {@code member} until {@code until} (a later deadline wins over an earlier one). */
  public void add(String member, Instant until) throws IOException {
    connection.execute("zadd", c -> c.sync().zadd(key, ZAddArgs.Builder.gt(),
        (double) until.toEpochMilli(), member.getBytes(StandardCharsets.UTF_8)));
  }

  /** Every member whose deadline has not passed, with its deadline. */
  public Map<String, Instant> members(Instant now) throws IOException {
    return connection.execute("zrangebyscore", c -> {
      c.sync().zremrangebyscore(key, Range.create(Double.NEGATIVE_INFINITY, (double) now.toEpochMilli()));
      Map<String, Instant> members = new HashMap<>();
      for (ScoredValue<byte[]> v : c.sync().zrangebyscoreWithScores(
          key, Range.create((double) now.toEpochMilli(), Double.POSITIVE_INFINITY))) {
        members.put(new String(v.getValue(), StandardCharsets.UTF_8), Instant.ofEpochMilli((long) v.getScore()));
      }
      return members;
    });
  }

  @Override
  public void close() {
    connection.close();
  }
}
