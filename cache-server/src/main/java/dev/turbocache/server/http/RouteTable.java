package dev.turbocache.server.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.RoutingHandler;
import io.undertow.util.HttpString;
import java.util.ArrayList;
import java.util.List;

/**
 * The one list of routes the server serves. The router is built from it, and so is everything
 * that has to agree with the router (the OpenAPI check in the tests), so a route cannot be added
 * in one place and forgotten in another.
 */
public final class RouteTable {

  /** One method on one path template, e.g. {@code GET /v8/artifacts/{hash}}. */
  public record Route(String method, String template) {
    @Override
    public String toString() {
      return method + " " + template;
    }
  }

  private record Entry(Route route, HttpHandler handler) {}

  private final List<Entry> entries = new ArrayList<>();

  public RouteTable add(HttpString method, String template, HttpHandler handler) {
    Route route = new Route(method.toString(), template);
    if (entries.stream().anyMatch(e -> e.route().equals(route))) {
      throw new IllegalArgumentException("route registered twice: " + route);
    }
    entries.add(new Entry(route, handler));
    return this;
  }

  /** Every registered route, in registration order. */
  public List<Route> routes() {
    return entries.stream().map(Entry::route).toList();
  }

  /** An Undertow router over the table, with JSON 404 and 405 answers for everything else. */
  public RoutingHandler router() {
    RoutingHandler router = new RoutingHandler();
    for (Entry e : entries) {
      router.add(e.route().method(), e.route().template(), e.handler());
    }
    return router
        .setFallbackHandler(ex ->
            new ApiError(404, "not_found", "no such route: " + ex.getRequestPath()).send(ex))
        .setInvalidMethodHandler(ex -> new ApiError(405, "method_not_allowed",
            ex.getRequestMethod() + " is not allowed on " + ex.getRequestPath()).send(ex));
  }
}
