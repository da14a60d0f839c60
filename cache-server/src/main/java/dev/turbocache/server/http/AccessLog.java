package dev.turbocache.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.turbocache.server.auth.Principal;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.PathTemplateMatch;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request on the {@value #LOGGER} logger: a JSON object with the request id, route
 * template, method, path, team, token name, status, bytes in and out and duration.
 *
 * <p>Never logged: the token (only the name the tokens file gives it), other headers, the query
 * string. {@link dev.turbocache.server.logging.LoggingSetup} writes these lines as they are, so
 * with {@code logging.format: json} every access line is exactly this object.
 */
public final class AccessLog {
  public static final String LOGGER = "turbocache.access";
  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

  private AccessLog() {}

  /** Logs the completed exchange (called from its completion listener). */
  static void log(HttpServerExchange exchange, long bytesIn, long durationNanos) {
    if (!LOG.isInfoEnabled()) {
      return;
    }
    Map<String, Object> line = entry(exchange, bytesIn, durationNanos);
    try {
      LOG.info(Json.MAPPER.writeValueAsString(line));
    } catch (JsonProcessingException e) {
      LOG.warn("access log entry could not be written: {}", e.toString());
    }
  }

  /** The fields of one access line, in output order. */
  static Map<String, Object> entry(HttpServerExchange exchange, long bytesIn, long durationNanos) {
    PathTemplateMatch match = exchange.getAttachment(PathTemplateMatch.ATTACHMENT_KEY);
    Principal principal = exchange.getAttachment(AccessGuard.PRINCIPAL);
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("timestamp", Instant.now().toString());
    line.put("type", "access");
    line.put("requestId", RequestId.of(exchange));
    line.put("method", exchange.getRequestMethod().toString());
    line.put("route", match == null ? "unmatched" : match.getMatchedTemplate());
    line.put("path", exchange.getRequestPath());
    line.put("team", team(exchange, match));
    line.put("token", principal == null ? null : principal.name());
    line.put("status", exchange.getStatusCode());
    line.put("bytesIn", bytesIn);
    line.put("bytesOut", exchange.getResponseBytesSent());
    line.put("durationMs", Math.round(durationNanos / 1_000_000.0 * 1000) / 1000.0);
    return line;
  }

  /** The team the request was about: {@code {team}} in the path, else slug / teamId. */
  private static String team(HttpServerExchange exchange, PathTemplateMatch match) {
    if (match != null && match.getParameters().containsKey("team")) {
      return match.getParameters().get("team");
    }
    var teamId = exchange.getQueryParameters().get("teamId");
    if (teamId != null && !teamId.isEmpty()) {
      return bounded(dev.turbocache.server.protocol.TeamResolver.fromTeamId(teamId.getFirst()));
    }
    var slug = exchange.getQueryParameters().get("slug");
    return slug == null || slug.isEmpty() ? null : bounded(slug.getFirst());
  }

  /** Whatever a client sent, the log line stays one bounded line. */
  private static String bounded(String s) {
    return s.length() > 64 ? s.substring(0, 64) + "…" : s;
  }
}
