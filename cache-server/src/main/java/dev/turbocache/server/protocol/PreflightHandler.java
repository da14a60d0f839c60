package dev.turbocache.server.protocol;

import dev.turbocache.server.http.Cors;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

/**
 * {@code OPTIONS} on the artifact and events URLs ({@code TURBO_PREFLIGHT=true}). No auth: a
 * preflight only asks which methods and headers are allowed.
 */
public final class PreflightHandler implements HttpHandler {
  @Override
  public void handleRequest(HttpServerExchange exchange) {
    Cors.preflight(exchange);
    exchange.setStatusCode(200);
    exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, 0);
    exchange.endExchange();
  }
}
