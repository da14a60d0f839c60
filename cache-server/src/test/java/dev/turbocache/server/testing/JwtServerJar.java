package dev.turbocache.server.testing;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A {@link TestOidcIssuer} and the packaged server trusting it ({@link TestOidcIssuer#settings()})
 * next to its generated static token, in {@code dir}; closing stops both.
 */
public final class JwtServerJar implements AutoCloseable {
  private final Path dir;
  private final Map<String, String> settings;
  private final TestOidcIssuer issuer;
  private ServerJarProcess server;

  private JwtServerJar(Path dir, Map<String, String> settings, TestOidcIssuer issuer) {
    this.dir = dir;
    this.settings = settings;
    this.issuer = issuer;
  }

  /** @param extra more {@code TURBOCACHE_*} settings (tiers...) */
  public static JwtServerJar start(Path dir, Map<String, String> extra) {
    return start(dir, extra, TestOidcIssuer.SHORT_KEY_TIMES);
  }

  /**
   * @param extra more {@code TURBOCACHE_*} settings (tiers...)
   * @param keyFields the issuer entry's key times and timeout, see {@link TestOidcIssuer#issuersSetting(String)}
   */
  public static JwtServerJar start(Path dir, Map<String, String> extra, String keyFields) {
    TestOidcIssuer issuer = TestOidcIssuer.start();
    Map<String, String> settings = new HashMap<>(issuer.settings(keyFields));
    settings.putAll(extra);
    JwtServerJar started = new JwtServerJar(dir, settings, issuer);
    try {
      started.server = ServerJarProcess.start(dir, settings);
      return started;
    } catch (RuntimeException | Error e) {
      issuer.close();
      throw e;
    }
  }

  public TestOidcIssuer issuer() {
    return issuer;
  }

  public ServerJarProcess server() {
    return server;
  }

  /** Stops the server and starts it again in the same directory (its data stays). */
  public ServerJarProcess restart() {
    server.close();
    server = ServerJarProcess.start(dir, settings);
    return server;
  }

  @Override
  public void close() {
    try {
      server.close();
    } finally {
      issuer.close();
    }
  }
}
