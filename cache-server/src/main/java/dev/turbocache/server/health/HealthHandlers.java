package dev.turbocache.server.health;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.turbocache.server.auth.jwt.IssuerHealth;
import dev.turbocache.server.auth.jwt.TrustedIssuer;
import dev.turbocache.server.http.Json;
import io.undertow.server.HttpHandler;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Kubernetes probes. Liveness only says the process serves HTTP; readiness says it can take
 * uploads (the durable tier answers, or write-back has room to queue), so a pod whose storage is
 * broken leaves the Service instead of being restarted in a loop. Readiness also reports each JWT
 * issuer's key endpoint; an unreachable issuer does not make the server unready, since cached keys
 * keep verifying its tokens and every replica would otherwise leave the Service at once.
 */
public final class HealthHandlers {
  private final BooleanSupplier ready;
  private final List<TrustedIssuer> issuers;

  public HealthHandlers(BooleanSupplier ready) {
    this(ready, List.of());
  }

  public HealthHandlers(BooleanSupplier ready, List<TrustedIssuer> issuers) {
    this.ready = ready;
    this.issuers = List.copyOf(issuers);
  }

  public HttpHandler live() {
    return exchange -> Json.send(exchange, 200, new Health("ok", List.of()));
  }

  public HttpHandler ready() {
    return exchange -> {
      boolean ok = ready.getAsBoolean();
      Json.send(exchange, ok ? 200 : 503, new Health(ok ? "ready" : "not_ready",
          issuers.stream().map(IssuerStatus::of).toList()));
    };
  }

  record Health(String status, @JsonInclude(JsonInclude.Include.NON_EMPTY) List<IssuerStatus> jwtIssuers) {}

  /** What readiness says of one issuer; {@code reachable} is null before the first fetch. */
  record IssuerStatus(String issuer, Boolean reachable, int keys, Instant lastSuccess, String lastError) {
    static IssuerStatus of(TrustedIssuer issuer) {
      IssuerHealth.Status s = issuer.health().status();
      return new IssuerStatus(issuer.issuer(), s.reachable(), s.keys(), s.lastSuccess(), s.lastError());
    }
  }
}
