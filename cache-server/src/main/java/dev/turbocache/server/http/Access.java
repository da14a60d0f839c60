package dev.turbocache.server.http;

import dev.turbocache.server.artifact.Team;
import dev.turbocache.server.auth.AccessLevel;
import io.undertow.server.HttpServerExchange;

/**
 * Who may call a route. Checked by the {@link RequestGate} before a byte of the request body is
 * read (on the I/O thread, or on the guard's threads for a JWT whose signature is still to be
 * checked), so a request without a valid token never makes the server wait for its
 * body. A check attaches the principal (and the team) for the handler, or throws the 400, 401 or
 * 403 {@link ApiException} that refuses the request.
 */
@FunctionalInterface
public interface Access {
  void check(HttpServerExchange exchange, AccessGuard guard);

  /** Anyone: probes, metrics, the OpenAPI document, CORS preflights. */
  static Access anyone() {
    return (exchange, guard) -> {};
  }

  /** Any valid token, whatever its teams: the account routes. */
  static Access anyToken() {
    return (exchange, guard) -> guard.identify(exchange);
  }

  /** The team of {@code ?slug=} / {@code ?teamId=} (required) at {@code level}. */
  static Access team(AccessLevel level) {
    return (exchange, guard) -> {
      String team = TeamResolver.require(exchange);
      guard.require(exchange, team, level);
      exchange.putAttachment(AccessGuard.TEAM, team);
    };
  }

  /** The named team at {@code level} when the request names one, else any valid token. */
  static Access teamIfNamed(AccessLevel level) {
    return (exchange, guard) -> {
      String team = TeamResolver.optional(exchange);
      if (team == null) {
        guard.identify(exchange);
      } else {
        guard.require(exchange, team, level);
        exchange.putAttachment(AccessGuard.TEAM, team);
      }
    };
  }

  /** An admin token for some team; the handler decides which team the request is about. */
  static Access admin() {
    return (exchange, guard) -> guard.require(exchange, null, AccessLevel.ADMIN);
  }

  /** An admin token for every team: server-wide admin routes. */
  static Access globalAdmin() {
    return (exchange, guard) -> guard.requireGlobalAdmin(exchange);
  }

  /** The team in path parameter {@code parameter} at {@code level}. */
  static Access pathTeam(String parameter, AccessLevel level) {
    return (exchange, guard) -> {
      String team = PathParameters.get(exchange, parameter);
      if (!Team.isValid(team)) {
        throw ApiException.badRequest(Team.INVALID);
      }
      guard.require(exchange, team, level);
      exchange.putAttachment(AccessGuard.TEAM, team);
    };
  }
}
