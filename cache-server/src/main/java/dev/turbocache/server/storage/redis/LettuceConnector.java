package dev.turbocache.server.storage.redis;

import dev.turbocache.server.config.ConfigException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCredentials;
import io.lettuce.core.RedisCredentialsProvider;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Connections from one Lettuce {@link RedisClient}, configured to fail fast: commands are
 * rejected at once while disconnected (instead of being buffered until they time out), every
 * command has a fixed timeout, connecting has its own timeout, and a dropped connection
 * reconnects by itself. With a {@code redis-sentinel://} URI Lettuce asks the sentinels for the
 * master address on every connect and every reconnect, so a reconnect after a failover lands on
 * the promoted replica.
 */
final class LettuceConnector implements RedisConnector {

  /** String keys (our keys are ASCII), binary values. */
  static final RedisCodec<String, byte[]> CODEC =
      RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

  /**
   * Reconnect backoff: Lettuce's default grows to 30 s, which would keep the tier dark for up to
   * half a minute after Redis is back; a cache wants to notice within about a second.
   */
  private static final Delay RECONNECT_DELAY =
      Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS);

  private final ClientResources resources;
  private final RedisClient client;
  private final RedisURI uri;
  private final String description;

  /**
   * @param uri {@code redis://…} or {@code redis-sentinel://…}
   * @param password overrides the password of the URI when not empty. It applies to the Redis
   *     servers only: with a Sentinel URI, userinfo in the URI is also what Lettuce sends to the
   *     sentinels, so a sentinel password goes there and a differing data password here.
   * @param sentinelPassword when not empty, what Lettuce sends to the sentinels instead (so that
   *     neither password has to be written into a URI)
   */
  LettuceConnector(String uri, String password, String sentinelPassword, Duration commandTimeout,
      Duration connectTimeout) {
    this.uri = parse(uri);
    if (password != null && !password.isEmpty()) {
      this.uri.setAuthentication(username(this.uri), password);
    }
    if (sentinelPassword != null && !sentinelPassword.isEmpty()) {
      this.uri.getSentinels().forEach(s -> s.setAuthentication(sentinelPassword));
    }
    // Also bounds the sentinel lookups, which use the URI's timeout.
    this.uri.setTimeout(commandTimeout);
    this.description = describe(this.uri);
    this.resources =
        DefaultClientResources.builder()
            .ioThreadPoolSize(2)
            .computationThreadPoolSize(2)
            .reconnectDelay(RECONNECT_DELAY)
            .build();
    this.client = RedisClient.create(resources);
    client.setOptions(
        ClientOptions.builder()
            .autoReconnect(true)
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
            .socketOptions(SocketOptions.builder().connectTimeout(connectTimeout).build())
            .build());
  }

  private static RedisURI parse(String uri) {
    if (uri == null || uri.isBlank()) {
      throw new ConfigException("storage.redis.uri must be set when storage.tiers includes redis");
    }
    try {
      RedisURI parsed = RedisURI.create(uri.trim());
      if (parsed.getSentinels().isEmpty() && (parsed.getHost() == null || parsed.getHost().isEmpty())) {
        throw new IllegalArgumentException("no host");
      }
      if (!parsed.getSentinels().isEmpty() && parsed.getSentinelMasterId() == null) {
        throw new IllegalArgumentException("sentinelMasterId missing");
      }
      return parsed;
    } catch (IllegalArgumentException e) {
      // The message of a parse failure may echo the URI, and with it a password: leave it out.
      throw new ConfigException(
          "storage.redis.uri is not a valid redis:// or redis-sentinel:// URI");
    }
  }

  /** The user name of the URI, kept when the password is overridden (ACL users). */
  private static String username(RedisURI uri) {
    RedisCredentialsProvider provider = uri.getCredentialsProvider();
    if (provider == null) {
      return null;
    }
    try {
      // Credentials parsed from a URI are static: this resolves at once.
      RedisCredentials credentials = provider.resolveCredentials().block(Duration.ofSeconds(1));
      return credentials != null && credentials.hasUsername() ? credentials.getUsername() : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Hosts, ports, database and master name: never the password. */
  static String describe(RedisURI uri) {
    if (uri.getSentinels().isEmpty()) {
      return "redis://" + uri.getHost() + ":" + uri.getPort() + "/" + uri.getDatabase();
    }
    return "redis-sentinel://"
        + uri.getSentinels().stream()
            .map(s -> s.getHost() + ":" + s.getPort())
            .collect(Collectors.joining(","))
        + "/" + uri.getDatabase()
        + " (master " + uri.getSentinelMasterId() + ")";
  }

  @Override
  public CompletableFuture<StatefulRedisConnection<String, byte[]>> connect() {
    try {
      return client.connectAsync(CODEC, uri).toCompletableFuture();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public void close() {
    try {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    } finally {
      resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
  }
}
