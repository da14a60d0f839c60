package dev.turbocache.server.storage.redis;

import io.lettuce.core.api.StatefulRedisConnection;
import java.util.concurrent.CompletableFuture;

/**
 * Opens connections to the current Redis master. With a Sentinel URI every call asks the
 * sentinels again, which is what moves {@link RedisStore} to a new master after a READONLY reply.
 * A seam so tests can hand out connections to chosen servers.
 */
interface RedisConnector extends AutoCloseable {

  /** Starts connecting; never blocks. The future fails when no connection could be made. */
  CompletableFuture<StatefulRedisConnection<String, byte[]>> connect();

  /** Where connections go, for logs: host names and ports only, never credentials. */
  String describe();

  /** Releases threads and other resources; connections handed out must be closed first. */
  @Override
  void close();
}
