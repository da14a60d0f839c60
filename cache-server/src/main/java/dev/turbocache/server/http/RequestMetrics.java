package dev.turbocache.server.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.PathTemplateMatch;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Times every request by route template (never the raw path, which would explode label
 * cardinality with hashes), method and status: {@code turbocache_http_requests_seconds}.
 */
public final class RequestMetrics implements HttpHandler {
  private final HttpHandler next;
  private final MeterRegistry registry;

  public RequestMetrics(HttpHandler next, MeterRegistry registry) {
    this.next = next;
    this.registry = registry;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    long start = System.nanoTime();
    RequestId.of(exchange);
    exchange.addExchangeCompleteListener((ex, nextListener) -> {
      try {
        PathTemplateMatch match = ex.getAttachment(PathTemplateMatch.ATTACHMENT_KEY);
        String route = match == null ? "unmatched" : match.getMatchedTemplate();
        Timer.builder("turbocache.http.requests")
            .description("HTTP requests by route template, method and status")
            .tag("route", route)
            .tag("method", ex.getRequestMethod().toString())
            .tag("status", Integer.toString(ex.getStatusCode()))
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofSeconds(60))
            .register(registry)
            .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
      } finally {
        nextListener.proceed();
      }
    });
    next.handleRequest(exchange);
  }
}
