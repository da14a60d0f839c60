package dev.turbocache.server.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

/** {@code GET /metrics} in the Prometheus text format. */
public final class MetricsHandler implements HttpHandler {
  private static final String TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8";
  private final PrometheusMeterRegistry registry;

  public MetricsHandler(PrometheusMeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, TEXT_FORMAT);
    exchange.getResponseSender().send(registry.scrape());
  }
}
