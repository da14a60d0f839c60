package dev.turbocache.server.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OIDC issuer on loopback for tests: an HTTP server serving the discovery document
 * ({@code /.well-known/openid-configuration}) and the JWKS ({@code /jwks}), with an RSA and an EC
 * key generated per instance, and tokens signed with them. {@link #rotate()} replaces the RSA key
 * with a new one (new {@code kid}) in the JWKS; {@link #stop()} and {@link #restart()} take the
 * endpoint away and bring it back on the same port.
 */
public final class TestOidcIssuer implements AutoCloseable {
  public static final String AUDIENCE = "https://turbocache.test";
  /** Key cache times short enough that tests see refreshes within seconds. */
  public static final String SHORT_KEY_TIMES = "\"keysCacheTtl\": \"3s\", \"keysRefreshMinInterval\": \"1s\"";
  /** Longest a held JWKS request waits for {@link Hold#release()}. */
  private static final long LONGEST_HOLD_SECONDS = 120;

  private final int port;
  private final AtomicInteger jwksRequests = new AtomicInteger();
  private volatile HttpServer server;
  private volatile RSAKey rsa = newRsa();
  private volatile RSAKey previousRsa;
  private final ECKey ec = newEc();
  private volatile Hold hold;

  private TestOidcIssuer(HttpServer server) {
    this.server = server;
    this.port = server.getAddress().getPort();
  }

  public static TestOidcIssuer start() {
    TestOidcIssuer issuer = new TestOidcIssuer(bind(0));
    issuer.serve(issuer.server);
    return issuer;
  }

  /** The {@code iss} of its tokens, the base of its discovery URL. */
  public String issuer() {
    return "http://127.0.0.1:" + port;
  }

  public String jwksUri() {
    return issuer() + "/jwks";
  }

  /** How often the JWKS has been fetched. */
  public int jwksRequests() {
    return jwksRequests.get();
  }

  /** The public keys as a JWKS document. */
  public String jwksJson() {
    return publicKeys().toString();
  }

  /** A new RSA key signs from now on; the JWKS serves only it (and the EC key): the old kid is gone. */
  public void rotate() {
    previousRsa = rsa;
    rsa = newRsa();
  }

  /** Signs with the RSA key rotated out by {@link #rotate()} (which the JWKS no longer has). */
  public String signWithPreviousKey(JWTClaimsSet claims) {
    return sign(previousRsa, JWSAlgorithm.RS256, claims);
  }

  /**
   * From now on JWKS requests get no answer until the hold is released (or closed): an issuer
   * that is slow to answer.
   */
  public Hold holdJwks() {
    Hold next = new Hold();
    hold = next;
    return next;
  }

  /** JWKS requests held unanswered; see {@link #holdJwks()}. */
  public static final class Hold implements AutoCloseable {
    private final CountDownLatch asked = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);

    /** Whether a JWKS request has arrived since the hold began. */
    public boolean asked() {
      return asked.getCount() == 0;
    }

    /** The held requests, and those to come, are answered. */
    public void release() {
      released.countDown();
    }

    @Override
    public void close() {
      release();
    }

    private void await() {
      asked.countDown();
      try {
        released.await(LONGEST_HOLD_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The endpoint goes away: connections are refused. */
  public void stop() {
    server.stop(0);
  }

  /** The endpoint is back, on the same port. */
  public void restart() {
    HttpServer next = bind(port);
    serve(next);
    server = next;
  }

  /** Claims a GitHub Actions job's token would carry, valid from a minute ago for ten minutes. */
  public JWTClaimsSet.Builder claims(String subject) {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder()
        .issuer(issuer())
        .audience(AUDIENCE)
        .subject(subject)
        .jwtID(UUID.randomUUID().toString())
        .issueTime(Date.from(now.minusSeconds(60)))
        .notBeforeTime(Date.from(now.minusSeconds(60)))
        .expirationTime(Date.from(now.plus(Duration.ofMinutes(10))));
  }

  /** GitHub Actions' claims of a job of {@code repository} in owner {@code owner} on {@code ref}. */
  public JWTClaimsSet.Builder githubClaims(String owner, String repository, String ref, String event) {
    return claims("repo:" + owner + "/" + repository + ":ref:" + ref)
        .claim("repository_owner", owner)
        .claim("repository", owner + "/" + repository)
        .claim("ref", ref)
        .claim("event_name", event);
  }

  /** RS256 with the current RSA key. */
  public String sign(JWTClaimsSet claims) {
    return sign(rsa, JWSAlgorithm.RS256, claims);
  }

  /** ES256 with the EC key. */
  public String signEs256(JWTClaimsSet claims) {
    return sign(ec, JWSAlgorithm.ES256, claims);
  }

  /** RS256 with a header of the caller's making (typ, cty, kid...) around the current key. */
  public String sign(JWSHeader.Builder header, JWTClaimsSet claims) {
    return sign(header.keyID(rsa.getKeyID()).build(), signer(rsa), claims);
  }

  /** RS256 with the current key, but naming key {@code kid} in the header. */
  public String signWithKid(String kid, JWTClaimsSet claims) {
    return sign(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).keyID(kid).build(),
        signer(rsa), claims);
  }

  /** The current RSA key's id. */
  public String keyId() {
    return rsa.getKeyID();
  }

  private JWKSet publicKeys() {
    List<JWK> keys = List.of(rsa.toPublicJWK(), ec.toPublicJWK());
    return new JWKSet(keys);
  }

  private static String sign(JWK key, JWSAlgorithm alg, JWTClaimsSet claims) {
    JWSHeader header = new JWSHeader.Builder(alg).type(JOSEObjectType.JWT).keyID(key.getKeyID()).build();
    return sign(header, signer(key), claims);
  }

  private static String sign(JWSHeader header, JWSSigner signer, JWTClaimsSet claims) {
    try {
      SignedJWT jwt = new SignedJWT(header, claims);
      jwt.sign(signer);
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JWSSigner signer(JWK key) {
    try {
      return key instanceof RSAKey r ? new RSASSASigner(r) : new ECDSASigner((ECKey) key);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private void serve(HttpServer target) {
    target.createContext("/.well-known/openid-configuration", exchange -> respond(exchange,
        "{\"issuer\":\"" + issuer() + "\",\"jwks_uri\":\"" + jwksUri() + "\"}"));
    target.createContext("/jwks", exchange -> {
      jwksRequests.incrementAndGet();
      Hold current = hold;
      if (current != null) {
        current.await();
      }
      respond(exchange, jwksJson());
    });
    target.start();
  }

  private static void respond(HttpExchange exchange, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, body.length);
    try (var out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static HttpServer bind(int port) {
    try {
      return HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
    } catch (IOException e) {
      throw new UncheckedIOException("binding the test issuer to port " + port, e);
    }
  }

  private static RSAKey newRsa() {
    try {
      return new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ECKey newEc() {
    try {
      return new ECKeyGenerator(Curve.P_256).keyID(UUID.randomUUID().toString()).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The {@code auth.jwt.issuers} entry (as JSON, for {@code TURBOCACHE_AUTH_JWT_ISSUERS}) trusting
   * this issuer through discovery, with the GitHub Actions rules of docs/configuration.md and
   * {@link #SHORT_KEY_TIMES}.
   */
  public String issuersSetting() {
    return issuersSetting(SHORT_KEY_TIMES);
  }

  /** As {@link #issuersSetting()}, with {@code keyFields} (JSON members: key times, httpTimeout). */
  public String issuersSetting(String keyFields) {
    return """
        [{"issuer": "%s", "audiences": ["%s"], %s,
          "rules": [
            {"match": {"repository_owner": "acme", "ref": "refs/heads/main"}, "teams": ["acme"], "access": "readwrite"},
            {"match": {"repository_owner": "acme", "event_name": "pull_request"}, "teams": ["acme"], "access": "read"},
            {"match": {"sub": "ops:*"}, "teams": ["*"], "access": "admin"},
            {"match": {"repository": ["acme/*", "web/*"]}, "teams": ["{repository_owner}"], "access": "read"}
          ]}]
        """.formatted(issuer(), AUDIENCE, keyFields);
  }

  public Map<String, String> settings() {
    return settings(SHORT_KEY_TIMES);
  }

  /** The server's settings trusting this issuer with {@code keyFields}; see {@link #issuersSetting(String)}. */
  public Map<String, String> settings(String keyFields) {
    return Map.of("TURBOCACHE_AUTH_JWT_ISSUERS", issuersSetting(keyFields));
  }

  @Override
  public void close() {
    Hold current = hold;
    if (current != null) {
      current.release();
    }
    server.stop(0);
  }
}
