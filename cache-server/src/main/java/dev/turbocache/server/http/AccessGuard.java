package dev.turbocache.server.http;

import dev.turbocache.server.auth.AccessLevel;
import dev.turbocache.server.auth.AuthResult;
import dev.turbocache.server.auth.Authenticator;
import dev.turbocache.server.auth.Principal;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.Headers;

/**
 * Turns the authenticator's verdict into HTTP: 401 (with a Bearer challenge) for a missing or
 * unknown token, 403 for a known token without the right team or access. The principal, accepted
 * or refused, is attached to the exchange for the access log.
 */
public final class AccessGuard {
  public static final AttachmentKey<Principal> PRINCIPAL = AttachmentKey.create(Principal.class);

  private final Authenticator authenticator;

  public AccessGuard(Authenticator authenticator) {
    this.authenticator = authenticator;
  }

  /**
   * The principal allowed to act on {@code team} (null: no particular team) at {@code level};
   * otherwise the request ends with 401 or 403.
   */
  public Principal require(HttpServerExchange exchange, String team, AccessLevel level) {
    String header = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
    return switch (authenticator.check(header, team, level)) {
      case AuthResult.Allowed allowed -> {
        exchange.putAttachment(PRINCIPAL, allowed.principal());
        yield allowed.principal();
      }
      case AuthResult.Denied denied -> {
        if (denied instanceof AuthResult.Forbidden forbidden) {
          exchange.putAttachment(PRINCIPAL, forbidden.principal());
        }
        if (denied.httpStatus() == 401) {
          exchange.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, "Bearer realm=\"turbocache\"");
        }
        throw new ApiException(new ApiError(denied.httpStatus(), denied.code(), denied.message()));
      }
    };
  }

  /** The caller's identity for routes that are not about one team ({@code /v2/user}). */
  public Principal identify(HttpServerExchange exchange) {
    return require(exchange, null, AccessLevel.READ);
  }
}
