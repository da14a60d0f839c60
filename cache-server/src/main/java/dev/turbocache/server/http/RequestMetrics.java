package dev.turbocache.server.http;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.undertow.conduits.BytesReceivedStreamSourceConduit;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;
import io.undertow.util.PathTemplateMatch;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
  /**
   * The timer of each route, method and status seen so far. Building and registering a timer
   * per request (tags sorted, the registry's map searched) cost as much as the access log line;
   * route templates and methods are the router's own, so the map stays small.
   */
  private final Map<TimerKey, Timer> timers = new ConcurrentHashMap<>();

  private record TimerKey(String route, HttpString method, int status) {}

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
    // A request without a body (most of them: GET, HEAD) has no bytes to count.
    LongAdder bytesIn = exchange.isRequestComplete() ? null : new LongAdder();
    if (bytesIn != null) {
      exchange.addRequestWrapper((factory, ex) ->
          new BytesReceivedStreamSourceConduit(factory.create(), bytesIn::add));
    }
    active.incrementAndGet();
    exchange.addExchangeCompleteListener((ex, nextListener) -> {
      try {
        active.decrementAndGet();
        long elapsed = System.nanoTime() - start;
        PathTemplateMatch match = ex.getAttachment(PathTemplateMatch.ATTACHMENT_KEY);
        String route = match == null ? "unmatched" : match.getMatchedTemplate();
        timer(route, ex.getRequestMethod(), ex.getStatusCode())
            .record(elapsed, TimeUnit.NANOSECONDS);
        if (accessLog) {
          AccessLog.log(ex, bytesIn == null ? 0 : bytesIn.sum(), elapsed);
        }
      } finally {
        nextListener.proceed();
      }
    });
    next.handleRequest(exchange);
  }

  private Timer timer(String route, HttpString method, int status) {
    TimerKey key = new TimerKey(route, method, status);
    Timer timer = timers.get(key);
    return timer != null ? timer : timers.computeIfAbsent(key, k ->
        Timer.builder("turbocache.http.requests")
            .description("HTTP requests by route template, method and status")
            .tag("route", k.route())
            .tag("method", k.method().toString())
            .tag("status", Integer.toString(k.status()))
            .publishPercentileHistogram()
            // Memory hits take about 0.1 ms: buckets must reach well below 1 ms to show them.
            .minimumExpectedValue(Duration.ofNanos(50_000))
            .maximumExpectedValue(Duration.ofSeconds(60))
            .register(registry));
  }
}
