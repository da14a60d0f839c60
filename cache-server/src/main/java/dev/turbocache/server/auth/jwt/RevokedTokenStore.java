package dev.turbocache.server.auth.jwt;

import java.io.IOException;
import java.time.Instant;
import java.util.Map;

/** Where revoked token ids ({@code jti}) are kept, each until the token would have expired anyway. */
public interface RevokedTokenStore extends AutoCloseable {
  /** Keeps {@code jti} revoked until {@code until}; it is durable (or shared) when this returns. */
  void add(String jti, Instant until) throws IOException;

  /** Every revoked id that has not run out yet, with when it does. */
  Map<String, Instant> load() throws IOException;

  /** Whether other servers add to it too, so it has to be read again now and then. */
  boolean shared();

  @Override
  void close();
}
