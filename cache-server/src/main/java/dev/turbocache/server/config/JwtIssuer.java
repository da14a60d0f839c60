package dev.turbocache.server.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One trusted JWT issuer of {@code auth.jwt.issuers}. A list entry has no place in the defaults
 * file, so the defaults of its optional fields are here.
 *
 * @param issuer what the tokens' {@code iss} claim must be, exactly
 * @param audiences the token's {@code aud} must contain one of these
 * @param jwksUri where the signing keys are; empty means OIDC discovery: the {@code jwks_uri} of
 *     {@code <issuer>/.well-known/openid-configuration}
 * @param jwksFile a JWKS file instead of fetching the keys
 * @param algorithms accepted signature algorithms (asymmetric only)
 * @param clockSkew tolerance of the {@code exp}, {@code nbf} and {@code iat} checks
 * @param maxTokenLifetime longest accepted {@code exp - iat} (without {@code iat}: {@code exp - now})
 * @param keysCacheTtl how long fetched keys are used before they are fetched again
 * @param keysRefreshMinInterval shortest time between two fetches caused by an unknown {@code kid}
 * @param httpTimeout connect and read timeout of each fetch (discovery and keys)
 * @param rules claims to access, first match wins
 */
public record JwtIssuer(
    String issuer,
    List<String> audiences,
    String jwksUri,
    Path jwksFile,
    List<String> algorithms,
    Duration clockSkew,
    Duration maxTokenLifetime,
    Duration keysCacheTtl,
    Duration keysRefreshMinInterval,
    Duration httpTimeout,
    List<JwtRule> rules) {

  public static final List<String> DEFAULT_ALGORITHMS = List.of("RS256", "ES256");
  public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(60);
  public static final Duration DEFAULT_MAX_TOKEN_LIFETIME = Duration.ofHours(24);
  public static final Duration DEFAULT_KEYS_CACHE_TTL = Duration.ofMinutes(5);
  public static final Duration DEFAULT_KEYS_REFRESH_MIN_INTERVAL = Duration.ofSeconds(30);
  public static final Duration DEFAULT_HTTP_TIMEOUT = Duration.ofSeconds(2);
  /** Where OIDC discovery looks, below the issuer URL. */
  public static final String DISCOVERY_PATH = "/.well-known/openid-configuration";

  public JwtIssuer {
    audiences = audiences == null ? List.of() : List.copyOf(audiences);
    jwksUri = jwksUri == null || jwksUri.isBlank() ? null : jwksUri.strip();
    if (jwksFile != null && jwksFile.toString().isBlank()) {
      jwksFile = null;
    }
    algorithms = algorithms == null || algorithms.isEmpty() ? DEFAULT_ALGORITHMS : List.copyOf(algorithms);
    clockSkew = clockSkew == null ? DEFAULT_CLOCK_SKEW : clockSkew;
    maxTokenLifetime = maxTokenLifetime == null ? DEFAULT_MAX_TOKEN_LIFETIME : maxTokenLifetime;
    keysCacheTtl = keysCacheTtl == null ? DEFAULT_KEYS_CACHE_TTL : keysCacheTtl;
    keysRefreshMinInterval = keysRefreshMinInterval == null
        ? DEFAULT_KEYS_REFRESH_MIN_INTERVAL : keysRefreshMinInterval;
    httpTimeout = httpTimeout == null ? DEFAULT_HTTP_TIMEOUT : httpTimeout;
    rules = rules == null ? List.of() : List.copyOf(rules);
  }

  /** The discovery document's URL: {@code <issuer>/.well-known/openid-configuration}. */
  public URI discoveryUri() {
    String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
    return URI.create(base + DISCOVERY_PATH);
  }
}
