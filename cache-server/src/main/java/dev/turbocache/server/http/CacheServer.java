package dev.turbocache.server.http;

import dev.turbocache.server.config.TurboCacheConfig;

/**
 * A running cache server. Tests and the CLI start one with {@link #start(TurboCacheConfig)} and
 * close it when done.
 */
public final class CacheServer implements AutoCloseable {

  public static CacheServer start(TurboCacheConfig config) {
    throw new UnsupportedOperationException("not yet implemented");
  }

  /** The bound port (useful when the config asked for port 0). */
  public int port() {
    throw new UnsupportedOperationException("not yet implemented");
  }

  /** {@code http://host:port}, the value for TURBO_API. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port();
  }

  @Override
  public void close() {}
}
