package dev.turbocache.server.http;

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

  private record Entry(Route route, Handling handling) {}

  private final List<Entry> entries = new ArrayList<>();

  public RouteTable add(HttpString method, String template, Handling handling) {
    Route route = new Route(method.toString(), template);
    if (entries.stream().anyMatch(e -> e.route().equals(route))) {
      throw new IllegalArgumentException("route registered twice: " + route);
    }
    entries.add(new Entry(route, handling));
    return this;
  }

  /** Every registered route, in registration order. */
  public List<Route> routes() {
    return entries.stream().map(Entry::route).toList();
  }

  /**
   * An Undertow router over the table, running on the I/O thread: every route behind {@code
   * gate}, and JSON 404 and 405 answers for everything else (sent before any body is read).
   */
  public RoutingHandler router(RequestGate gate) {
    RoutingHandler router = new RoutingHandler();
    for (Entry e : entries) {
      router.add(e.route().method(), e.route().template(), gate.handlerFor(e.handling()));
    }
    return router
        .setFallbackHandler(gate.refusing(ex ->
            new ApiError(404, "not_found", "no such route: " + ex.getRequestPath())))
        .setInvalidMethodHandler(gate.refusing(ex -> new ApiError(405, "method_not_allowed",
            ex.getRequestMethod() + " is not allowed on " + ex.getRequestPath())));
  }
}
