package dev.turbocache.server.http;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.undertow.conduits.BytesReceivedStreamSourceConduit;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.PathTemplateMatch;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Times every request by route template (never the raw path, which would explode label
 * cardinality with hashes), method and status: {@code turbocache_http_requests_seconds}; counts
 * requests in flight ({@code turbocache_http_requests_active}); and writes the access log line.
 */
public final class RequestMetrics implements HttpHandler {
  private final HttpHandler next;
  private final MeterRegistry registry;
  private final boolean accessLog;
  private final AtomicInteger active = new AtomicInteger();

  public RequestMetrics(HttpHandler next, MeterRegistry registry, boolean accessLog) {
    this.next = next;
    this.registry = registry;
    this.accessLog = accessLog;
    Gauge.builder("turbocache.http.requests.active", active, AtomicInteger::get)
        .description("HTTP requests being served right now")
        .register(registry);
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    long start = System.nanoTime();
    RequestId.of(exchange);
    LongAdder bytesIn = new LongAdder();
    exchange.addRequestWrapper((factory, ex) ->
        new BytesReceivedStreamSourceConduit(factory.create(), bytesIn::add));
    active.incrementAndGet();
    exchange.addExchangeCompleteListener((ex, nextListener) -> {
      try {
        active.decrementAndGet();
        long elapsed = System.nanoTime() - start;
        PathTemplateMatch match = ex.getAttachment(PathTemplateMatch.ATTACHMENT_KEY);
        String route = match == null ? "unmatched" : match.getMatchedTemplate();
        Timer.builder("turbocache.http.requests")
            .description("HTTP requests by route template, method and status")
            .tag("route", route)
            .tag("method", ex.getRequestMethod().toString())
            .tag("status", Integer.toString(ex.getStatusCode()))
            .publishPercentileHistogram()
            // Memory hits take about 0.1 ms: buckets must reach well below 1 ms to show them.
            .minimumExpectedValue(Duration.ofNanos(50_000))
            .maximumExpectedValue(Duration.ofSeconds(60))
            .register(registry)
            .record(elapsed, TimeUnit.NANOSECONDS);
        if (accessLog) {
          AccessLog.log(ex, bytesIn.sum(), elapsed);
        }
      } finally {
        nextListener.proceed();
      }
    });
    next.handleRequest(exchange);
  }
}
