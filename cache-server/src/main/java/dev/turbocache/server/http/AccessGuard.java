package dev.turbocache.server.http;

import dev.turbocache.server.auth.AccessLevel;
import dev.turbocache.server.auth.AuthResult;
import dev.turbocache.server.auth.Authenticator;
import dev.turbocache.server.auth.Principal;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.Headers;
import java.util.concurrent.Executor;

/**
 * Turns the authenticator's verdict into HTTP: 401 (with a Bearer challenge) for a missing or
 * unknown token, 403 for a known token without the right team or access. The principal, accepted
 * or refused, is attached to the exchange for the access log.
 */
public final class AccessGuard {
  public static final AttachmentKey<Principal> PRINCIPAL = AttachmentKey.create(Principal.class);
  /** The team a route's {@link Access} checked the request for. */
  public static final AttachmentKey<String> TEAM = AttachmentKey.create(String.class);

  private final Authenticator authenticator;
  private final Executor slowChecks;

  /**
   * Thrown by a check on an I/O thread whose token must wait to be decided (a JWT whose signature
   * is still to be verified): the caller runs the check again on {@link #slowChecks()}.
   */
  public static final class CheckOffIoThread extends RuntimeException {
    private static final long serialVersionUID = 1L;
    static final CheckOffIoThread INSTANCE = new CheckOffIoThread();

    private CheckOffIoThread() {
      super("the token is checked off the I/O thread", null, false, false);
    }
  }

  /** @param slowChecks where checks that wait run instead of on an I/O thread ({@link CheckOffIoThread}) */
  public AccessGuard(Authenticator authenticator, Executor slowChecks) {
    this.authenticator = authenticator;
    this.slowChecks = slowChecks;
  }

  public Executor slowChecks() {
    return slowChecks;
  }

  /**
   * The principal allowed to act on {@code team} (null: no particular team) at {@code level};
   * otherwise the request ends with 401 or 403.
   */
  public Principal require(HttpServerExchange exchange, String team, AccessLevel level) {
    String header = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
    // An I/O thread serves many connections: a check there must not wait.
    return switch (authenticator.check(header, team, level, !exchange.isInIoThread())) {
      case AuthResult.Pending pending -> throw CheckOffIoThread.INSTANCE;
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

  /** An admin token for every team ({@code "*"}): server-wide admin routes. */
  public Principal requireGlobalAdmin(HttpServerExchange exchange) {
    Principal p = require(exchange, null, AccessLevel.ADMIN);
    if (!p.teams().contains(Principal.ANY_TEAM)) {
      throw new ApiException(new ApiError(403, "forbidden", p.describe()
          + " is an admin for some teams only; this route needs an admin token for teams [\"*\"]"));
    }
    return p;
  }

  /** The principal the route's access check admitted. */
  public static Principal principal(HttpServerExchange exchange) {
    return attached(exchange, PRINCIPAL);
  }

  /** The team the route's access check admitted the request for. */
  public static String team(HttpServerExchange exchange) {
    return attached(exchange, TEAM);
  }

  private static <T> T attached(HttpServerExchange exchange, AttachmentKey<T> key) {
    T value = exchange.getAttachment(key);
    if (value == null) {
      throw new IllegalStateException("the route's access check did not run for " + exchange.getRequestPath());
    }
    return value;
  }
}
