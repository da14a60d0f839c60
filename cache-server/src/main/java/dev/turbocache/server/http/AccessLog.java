package dev.turbocache.server.http;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.turbocache.server.auth.Principal;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.PathTemplateMatch;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request on the {@value #LOGGER} logger: a JSON object with the request id, route
 * template, method, path, team, token name (for a JWT: issuer and subject), status, bytes in and
 * out and duration.
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

  /** Logs the completed exchange (called from its completion listener). */
  static void log(HttpServerExchange exchange, long bytesIn, long durationNanos) {
    if (!LOG.isInfoEnabled()) {
      return;
    }
    try {
      LOG.info(line(exchange, bytesIn, durationNanos));
    } catch (IOException e) {
      LOG.warn("access log entry could not be written: {}", e.toString());
    }
  }

  /**
   * The line, in output order. Written field by field with a streaming generator: this runs for
   * every request, and building a map for the object mapper cost as much as the rest of a
   * memory-tier hit.
   */
  static String line(HttpServerExchange exchange, long bytesIn, long durationNanos)
      throws IOException {
    PathTemplateMatch match = exchange.getAttachment(PathTemplateMatch.ATTACHMENT_KEY);
    Principal principal = exchange.getAttachment(AccessGuard.PRINCIPAL);
    StringWriter out = new StringWriter(256);
    try (JsonGenerator json = Json.MAPPER.getFactory().createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField(TIMESTAMP_FIELD, Instant.now().toString());
      json.writeStringField("type", "access");
      json.writeStringField("requestId", RequestId.of(exchange));
      json.writeStringField("method", exchange.getRequestMethod().toString());
      json.writeStringField("route", match == null ? "unmatched" : match.getMatchedTemplate());
      json.writeStringField("path", exchange.getRequestPath());
      json.writeStringField("team", team(exchange, match));
      // A JWT's principal is its issuer and subject; a static token's, its name.
      json.writeStringField("token", principal == null || principal.issuer() != null ? null : principal.name());
      if (principal != null && principal.issuer() != null) {
        json.writeStringField("issuer", principal.issuer());
        json.writeStringField("subject", principal.name());
      }
      json.writeNumberField("status", exchange.getStatusCode());
      json.writeNumberField("bytesIn", bytesIn);
      json.writeNumberField("bytesOut", exchange.getResponseBytesSent());
      json.writeNumberField("durationMs", Math.round(durationNanos / 1_000.0) / 1000.0);
      json.writeEndObject();
    }
    return out.toString();
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
