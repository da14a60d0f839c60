package dev.turbocache.server.protocol;

import dev.turbocache.server.auth.AccessLevel;
import dev.turbocache.server.http.AccessGuard;
import dev.turbocache.server.http.Json;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

/**
 * {@code GET /v8/artifacts/status}: turbo calls it first on every run and prints a warning when it
 * is anything but {@code enabled} (the value is an operator's switch, {@code server.status}).
 */
public final class StatusHandler implements HttpHandler {
  private final AccessGuard guard;
  private final String status;

  public StatusHandler(AccessGuard guard, String status) {
    this.guard = guard;
    this.status = status;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    String team = TeamResolver.optional(exchange);
    if (team == null) {
      guard.identify(exchange);
    } else {
      guard.require(exchange, team, AccessLevel.READ);
    }
    Json.send(exchange, 200, new Status(status));
  }

  record Status(String status) {}
}
