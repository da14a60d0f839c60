package dev.turbocache.server.health;

import dev.turbocache.server.http.Json;
import io.undertow.server.HttpHandler;
import java.util.function.BooleanSupplier;

/**
 * Kubernetes probes. Liveness only says the process serves HTTP; readiness says it can take
 * uploads (the durable tier answers, or write-back has room to queue), so a pod whose storage is
 * broken leaves the Service instead of being restarted in a loop.
 */
public final class HealthHandlers {
  private final BooleanSupplier ready;

  public HealthHandlers(BooleanSupplier ready) {
    this.ready = ready;
  }

  public HttpHandler live() {
    return exchange -> Json.send(exchange, 200, new Health("ok"));
  }

  public HttpHandler ready() {
    return exchange -> {
      boolean ok = ready.getAsBoolean();
      Json.send(exchange, ok ? 200 : 503, new Health(ok ? "ready" : "not_ready"));
    };
  }

  record Health(String status) {}
}
