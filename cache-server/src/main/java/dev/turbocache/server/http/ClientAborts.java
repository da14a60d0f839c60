package dev.turbocache.server.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clients that go away mid-request: they closed or reset the connection, or stopped sending
 * (request body) or reading (response) for longer than the timeouts allow. That is the client's
 * business, not a server failure: one debug line each, and a counter,
 * {@code turbocache_http_client_aborts_total{phase, reason}}.
 */
public final class ClientAborts {
  private static final Logger LOG = LoggerFactory.getLogger(ClientAborts.class);

  /** What the server was doing when the client went away. */
  public enum Phase {
    /** Reading the request body. */
    RECEIVE,
    /** Sending the response. */
    SEND
  }

  /** How it went away. */
  public enum Reason {
    CLOSED,
    TIMEOUT
  }

  private final Map<Phase, Map<Reason, Counter>> counters = new EnumMap<>(Phase.class);

  public ClientAborts(MeterRegistry registry) {
    for (Phase phase : Phase.values()) {
      Map<Reason, Counter> byReason = new EnumMap<>(Reason.class);
      for (Reason reason : Reason.values()) {
        byReason.put(reason, Counter.builder("turbocache.http.client.aborts")
            .description("Requests the client abandoned: closed, reset or stalled past a timeout")
            .tag("phase", tag(phase))
            .tag("reason", tag(reason))
            .register(registry));
      }
      counters.put(phase, byReason);
    }
  }

  private static String tag(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }

  /** Counts and logs one abandoned request. */
  public void count(HttpServerExchange exchange, Phase phase, Reason reason, Exception cause) {
    counters.get(phase).get(reason).increment();
    if (LOG.isDebugEnabled()) {
      LOG.debug("client {} {} during {} {} (request id {}){}", exchange.getSourceAddress(),
          reason == Reason.TIMEOUT ? "stalled" : "went away", tag(phase), exchange.getRequestPath(),
          RequestId.of(exchange), cause == null ? "" : ": " + cause);
    }
  }

  /**
   * Whether {@code e}, thrown while answering, means the client is gone rather than that the
   * server failed: the connection is closed or was reset, or a write timed out.
   */
  public static boolean isClientGone(HttpServerExchange exchange, IOException e) {
    if (e instanceof ClosedChannelException || !exchange.getConnection().isOpen()) {
      return true;
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      String message = t.getMessage();
      if (message != null) {
        String lower = message.toLowerCase(Locale.ROOT);
        if (lower.contains("connection reset") || lower.contains("broken pipe")) {
          return true;
        }
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }
}
