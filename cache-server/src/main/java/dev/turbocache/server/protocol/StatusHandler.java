package dev.turbocache.server.protocol;

import dev.turbocache.server.config.CacheStatus;
import dev.turbocache.server.http.Json;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

/**
 * {@code GET /v8/artifacts/status}: turbo calls it first on every run and prints a warning when it
 * is anything but {@code enabled} (the value is an operator's switch, {@code server.status}).
 */
public final class StatusHandler implements HttpHandler {
  private final CacheStatus status;

  public StatusHandler(CacheStatus status) {
    this.status = status;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    Json.send(exchange, 200, new Status(status));
  }

  record Status(CacheStatus status) {}
}
