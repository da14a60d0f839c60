package dev.turbocache.server.admin;

import dev.turbocache.server.admin.AdminApi.RevokeRequest;
import dev.turbocache.server.admin.AdminApi.RevokeResponse;
import dev.turbocache.server.auth.jwt.JwtSetup;
import dev.turbocache.server.config.TurboCacheConfig;
import dev.turbocache.server.http.AccessGuard;
import dev.turbocache.server.http.ApiException;
import dev.turbocache.server.http.Json;
import io.undertow.server.HttpHandler;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /admin/tokens/revoke}: refuses a JWT by its id from now on, on every server that
 * shares the revocation store. Kept until the token expires: the {@code exp} the caller gives, or
 * else the longest any trusted issuer's tokens may be valid for.
 */
public final class TokenRevocation {
  private static final Logger LOG = LoggerFactory.getLogger(TokenRevocation.class);
  private static final int MAX_JTI_LENGTH = TurboCacheConfig.Jwt.MAX_TOKEN_ID_LENGTH;

  private final JwtSetup jwt;

  /** @param jwt the JWT setup; null when no issuer is configured */
  public TokenRevocation(JwtSetup jwt) {
    this.jwt = jwt;
  }

  public HttpHandler revoke() {
    return exchange -> {
      RevokeRequest req = Json.read(exchange, RevokeRequest.class);
      if (jwt == null) {
        throw ApiException.badRequest("no JWT issuer is configured (auth.jwt.issuers): there are no JWTs to revoke");
      }
      if (req.jti() == null || req.jti().isBlank() || req.jti().length() > MAX_JTI_LENGTH) {
        throw ApiException.badRequest("jti must be the token's id (1-" + MAX_JTI_LENGTH + " characters)");
      }
      Instant longest = jwt.revocationDeadline();
      Instant until = req.exp() == null ? longest : Instant.ofEpochSecond(req.exp());
      if (until.isAfter(longest)) {
        until = longest;
      }
      jwt.revocations().revoke(req.jti(), until);
      LOG.info("token id {} revoked until {} by {}", req.jti(), until,
          AccessGuard.principal(exchange).describe());
      Json.send(exchange, 200, new RevokeResponse(req.jti(), until,
          jwt.revocations().shared() ? RevokeResponse.SHARED : RevokeResponse.THIS_SERVER));
    };
  }
}
