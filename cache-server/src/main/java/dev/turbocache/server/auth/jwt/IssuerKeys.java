package dev.turbocache.server.auth.jwt;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import dev.turbocache.server.config.ConfigException;
import dev.turbocache.server.config.JwtIssuer;
import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where an issuer's signing keys come from: a JWKS file read once at startup, or a JWKS URL
 * (configured or from OIDC discovery) behind Nimbus's cache. Fetched keys are used for {@code
 * keysCacheTtl} and refreshed in the background before that runs out; a token with an unknown
 * {@code kid} forces a fetch, but at most two per {@code keysRefreshMinInterval}, so a flood of
 * bogus kids cannot hammer the issuer; while the issuer is unreachable the last keys stay in use.
 */
final class IssuerKeys implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(IssuerKeys.class);
  /** Largest JWKS or discovery document read. */
  private static final int SIZE_LIMIT = 256 * 1024;

  private final JWKSource<SecurityContext> source;
  private final IssuerHealth health;
  private final String description;

  private IssuerKeys(JWKSource<SecurityContext> source, IssuerHealth health, String description) {
    this.source = source;
    this.health = health;
    this.description = description;
  }

  static IssuerKeys of(JwtIssuer config, Clock clock) {
    IssuerHealth health = new IssuerHealth(clock);
    if (config.jwksFile() != null) {
      try {
        JWKSet keys = JWKSet.load(config.jwksFile().toFile());
        health.fetched(keys.size());
        return new IssuerKeys(new ImmutableJWKSet<>(keys), health, "file " + config.jwksFile());
      } catch (IOException | ParseException e) {
        throw new ConfigException("the jwksFile of issuer " + config.issuer() + " ("
            + config.jwksFile() + ") is not a readable JWKS: " + e.getMessage(), e);
      }
    }
    int timeout = Math.toIntExact(config.httpTimeout().toMillis());
    DefaultResourceRetriever retriever = new DefaultResourceRetriever(timeout, timeout, SIZE_LIMIT);
    RemoteJwkSetSource remote = config.jwksUri() != null
        ? RemoteJwkSetSource.fixed(config.issuer(), URI.create(config.jwksUri()), retriever, health)
        : RemoteJwkSetSource.discovered(config.issuer(), config.discoveryUri(), retriever, health);
    long ttl = config.keysCacheTtl().toMillis();
    JWKSource<SecurityContext> source = JWKSourceBuilder.create(remote)
        // Threads asking while a fetch is under way wait at most one fetch's time for it (and
        // Nimbus wants that wait and the refresh-ahead time to fit in the time to live).
        .cache(ttl, Math.min(2L * timeout, ttl / 2))
        .refreshAheadCache(Math.min(ttl / 4, JWKSourceBuilder.DEFAULT_REFRESH_AHEAD_TIME), true)
        .rateLimited(config.keysRefreshMinInterval().toMillis())
        .outageTolerantForever()
        .build();
    String description = config.jwksUri() != null ? config.jwksUri() : config.discoveryUri().toString();
    return new IssuerKeys(source, health, description);
  }

  JWKSource<SecurityContext> source() {
    return source;
  }

  IssuerHealth health() {
    return health;
  }

  /**
   * Fetches the keys once, so the first tokens do not wait for it; an unreachable issuer is
   * logged, not fatal (static tokens still work, and the keys are fetched again on demand).
   */
  void warmUp(String issuer) {
    try {
      int keys = source.get(new JWKSelector(new JWKMatcher.Builder().build()), null).size();
      LOG.info("JWT issuer {}: {} keys from {}", issuer, keys, description);
    } catch (KeySourceException | RuntimeException e) {
      LOG.warn("JWT issuer {}: keys not available from {} ({}); tokens of this issuer are "
          + "refused until they are", issuer, description, e.getMessage());
    }
  }

  @Override
  public void close() throws IOException {
    if (source instanceof Closeable closeable) {
      closeable.close();
    }
  }
}
