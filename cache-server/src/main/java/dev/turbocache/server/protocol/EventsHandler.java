package dev.turbocache.server.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turbocache.server.http.ApiException;
import dev.turbocache.server.http.Cors;
import dev.turbocache.server.http.Json;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.Set;

/**
 * {@code POST /v8/artifacts/events}: turbo's own account of local and remote hits and misses. The
 * events only feed metrics; a hit ratio seen by clients (including their local cache) is what a
 * platform team wants on a dashboard next to the server's own numbers.
 */
public final class EventsHandler implements HttpHandler {
  static final int MAX_EVENTS = 10_000;
  private static final Set<String> SOURCES = Set.of("LOCAL", "REMOTE");
  private static final Set<String> EVENTS = Set.of("HIT", "MISS");

  private final MeterRegistry registry;

  public EventsHandler(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    JsonNode body = Json.read(exchange, JsonNode.class);
    if (!body.isArray()) {
      throw ApiException.badRequest("body must be a JSON array of events");
    }
    if (body.size() > MAX_EVENTS) {
      throw ApiException.badRequest("at most " + MAX_EVENTS + " events per request");
    }
    // Validate everything before counting anything, so a bad batch leaves metrics untouched.
    for (int i = 0; i < body.size(); i++) {
      JsonNode e = body.get(i);
      if (!e.isObject()
          || !SOURCES.contains(e.path("source").asText())
          || !EVENTS.contains(e.path("event").asText())) {
        throw ApiException.badRequest(
            "event " + i + " must be an object with source LOCAL|REMOTE and event HIT|MISS");
      }
    }
    for (JsonNode e : body) {
      Counter.builder("turbocache.client.events")
          .description("Cache events reported by turbo clients, by source and outcome")
          .tag("source", e.get("source").asText().toLowerCase())
          .tag("event", e.get("event").asText().toLowerCase())
          .register(registry)
          .increment();
    }
    Cors.actual(exchange);
    exchange.setStatusCode(200);
    exchange.endExchange();
  }
}
