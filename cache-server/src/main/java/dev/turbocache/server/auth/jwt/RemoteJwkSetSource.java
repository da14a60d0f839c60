package dev.turbocache.server.auth.jwt;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSetCacheRefreshEvaluator;
import com.nimbusds.jose.jwk.source.JWKSetRetrievalException;
import com.nimbusds.jose.jwk.source.JWKSetSource;
import com.nimbusds.jose.jwk.source.URLBasedJWKSetSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jose.util.ResourceRetriever;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.text.ParseException;
import java.util.Map;

/**
 * An issuer's keys over HTTP, from a configured JWKS URL or from the {@code jwks_uri} of its OIDC
 * discovery document (looked up on the first fetch, and again after a failed lookup). Every fetch
 * is recorded in the {@link IssuerHealth}. Caching, rate limiting and outage tolerance are the
 * wrappers {@link IssuerKeys} puts around this.
 */
final class RemoteJwkSetSource implements JWKSetSource<SecurityContext> {
  private final String issuer;
  private final URI discovery;
  private final ResourceRetriever retriever;
  private final IssuerHealth health;
  private volatile URLBasedJWKSetSource<SecurityContext> keys;

  /** Keys from {@code jwksUri}. */
  static RemoteJwkSetSource fixed(String issuer, URI jwksUri, ResourceRetriever retriever,
      IssuerHealth health) {
    RemoteJwkSetSource source = new RemoteJwkSetSource(issuer, null, retriever, health);
    source.keys = source.urlSource(jwksUri);
    return source;
  }

  /** Keys from the {@code jwks_uri} the discovery document at {@code discovery} names. */
  static RemoteJwkSetSource discovered(String issuer, URI discovery, ResourceRetriever retriever,
      IssuerHealth health) {
    return new RemoteJwkSetSource(issuer, discovery, retriever, health);
  }

  private RemoteJwkSetSource(String issuer, URI discovery, ResourceRetriever retriever,
      IssuerHealth health) {
    this.issuer = issuer;
    this.discovery = discovery;
    this.retriever = retriever;
    this.health = health;
  }

  @Override
  public JWKSet getJWKSet(JWKSetCacheRefreshEvaluator refreshEvaluator, long currentTime,
      SecurityContext context) throws KeySourceException {
    try {
      JWKSet set = keys().getJWKSet(refreshEvaluator, currentTime, context);
      health.fetched(set.size());
      return set;
    } catch (KeySourceException e) {
      health.failed(String.valueOf(e.getMessage()));
      throw e;
    } catch (RuntimeException e) {
      // Whatever the issuer sent, a verification must end in a refusal, not an error.
      health.failed(e.toString());
      throw new KeySourceException("fetching the keys of " + issuer + " failed: " + e, e);
    }
  }

  private URLBasedJWKSetSource<SecurityContext> keys() throws KeySourceException {
    URLBasedJWKSetSource<SecurityContext> current = keys;
    if (current == null) {
      try {
        current = urlSource(jwksUriFromDiscovery());
      } catch (IllegalArgumentException e) {
        throw new KeySourceException("the jwks_uri of " + discovery + " is not a URL", e);
      }
      keys = current;
    }
    return current;
  }

  /**
   * The discovery document must name this issuer (OpenID Connect Discovery 1.0, section 4.3), so
   * a misconfigured URL cannot hand us another issuer's keys.
   */
  private URI jwksUriFromDiscovery() throws KeySourceException {
    try {
      String body = retriever.retrieveResource(discovery.toURL()).getContent();
      Map<String, Object> document = JSONObjectUtils.parse(body);
      String named = JSONObjectUtils.getString(document, "issuer");
      if (!issuer.equals(named)) {
        throw new KeySourceException("the discovery document at " + discovery + " names issuer '"
            + named + "', not '" + issuer + "'");
      }
      URI jwksUri = JSONObjectUtils.getURI(document, "jwks_uri");
      if (jwksUri == null) {
        throw new KeySourceException("the discovery document at " + discovery + " has no jwks_uri");
      }
      return jwksUri;
    } catch (IOException e) {
      throw new JWKSetRetrievalException("OIDC discovery at " + discovery + " failed: " + e, e);
    } catch (ParseException e) {
      throw new KeySourceException("OIDC discovery at " + discovery + " is not a JSON object: "
          + e.getMessage(), e);
    }
  }

  private URLBasedJWKSetSource<SecurityContext> urlSource(URI uri) {
    try {
      return new URLBasedJWKSetSource<>(uri.toURL(), retriever);
    } catch (MalformedURLException | IllegalArgumentException e) {
      throw new IllegalArgumentException("not a URL: " + uri, e);
    }
  }

  @Override
  public void close() throws IOException {
    URLBasedJWKSetSource<SecurityContext> current = keys;
    if (current != null) {
      current.close();
    }
  }
}
