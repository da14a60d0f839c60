package dev.turbocache.server.http;

import dev.turbocache.server.auth.Principal;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.PathTemplateMatch;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request on the {@value #LOGGER} logger: a JSON object with the request id, route
 * template, method, path, team, token name (for a JWT: issuer and subject), status, bytes in and
 * out and duration.
 *
 * The line is an {@link AccessLine}.
 *
 * <p>Never logged: the token (only the name the tokens file gives it), other headers, the query
 * string. {@link dev.turbocache.server.logging.LoggingSetup} writes these lines as they are, so
 * with {@code logging.format: json} every access line is exactly this object.
 */
public final class AccessLog {
  public static final String LOGGER = "turbocache.access";
  /** Where every JSON log line, access or not, carries its ISO-8601 time. */
  public static final String TIMESTAMP_FIELD = "timestamp";
  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

  private AccessLog() {}

  /**
   * Logs the completed exchange (called from its completion listener). Only the fields are taken
   * here; the line is rendered when an appender asks for the message, which the access appender
   * of {@link dev.turbocache.server.logging.LoggingSetup} does on its own thread, off the I/O
   * thread that completed the exchange.
   */
  static void log(HttpServerExchange exchange, long bytesIn, long durationNanos) {
    if (!LOG.isInfoEnabled()) {
      return;
    }
    LOG.info("{}", entry(exchange, bytesIn, durationNanos));
  }

  private static AccessLine entry(HttpServerExchange exchange, long bytesIn, long durationNanos) {
    PathTemplateMatch match = exchange.getAttachment(PathTemplateMatch.ATTACHMENT_KEY);
    Principal principal = exchange.getAttachment(AccessGuard.PRINCIPAL);
    // A JWT's principal is its issuer and subject; a static token's, its name.
    boolean jwt = principal != null && principal.issuer() != null;
    return new AccessLine(Instant.now(), RequestId.of(exchange), exchange.getRequestMethod().toString(),
        match == null ? "unmatched" : match.getMatchedTemplate(), exchange.getRequestPath(),
        team(exchange, match), principal == null || jwt ? null : principal.name(),
        jwt ? principal.issuer() : null, jwt ? principal.name() : null,
        exchange.getStatusCode(), bytesIn, exchange.getResponseBytesSent(), durationNanos);
  }

  /** The team the request was about: {@code {team}} in the path, else slug / teamId. */
  private static String team(HttpServerExchange exchange, PathTemplateMatch match) {
    if (match != null && match.getParameters().containsKey("team")) {
      return match.getParameters().get("team");
    }
    String named = TeamResolver.named(exchange);
    return named == null ? null : bounded(named);
  }

  /** Whatever a client sent, the log line stays one bounded line. */
  private static String bounded(String s) {
    return s.length() > 64 ? s.substring(0, 64) + "…" : s;
  }
}
