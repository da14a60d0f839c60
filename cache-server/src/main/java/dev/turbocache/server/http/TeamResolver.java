package dev.turbocache.server.http;

import dev.turbocache.server.artifact.Team;
import io.undertow.server.HttpServerExchange;
import java.util.Deque;

/**
 * Finds the team a request names in its {@code slug=<TURBO_TEAM>} and/or {@code
 * teamId=<TURBO_TEAMID>} query parameters ({@link Team} says how the two map onto one name).
 */
public final class TeamResolver {
  private TeamResolver() {}

  /** The canonical team, or a 400 explaining how to set it. */
  public static String require(HttpServerExchange exchange) {
    String team = optional(exchange);
    if (team == null) {
      throw ApiException.badRequest(
          "missing team: pass ?slug=<team> or ?teamId=team_<team> (set TURBO_TEAM or TURBO_TEAMID)");
    }
    return team;
  }

  /** The canonical team, or null when the request names none. */
  public static String optional(HttpServerExchange exchange) {
    String teamId = single(exchange, "teamId");
    String slug = single(exchange, "slug");
    String team = teamId != null ? Team.fromId(teamId) : slug;
    if (team == null || team.isEmpty()) {
      return null;
    }
    if (teamId != null && slug != null && !slug.isEmpty() && !slug.equals(team)) {
      throw ApiException.badRequest(
          "teamId '" + teamId + "' and slug '" + slug + "' name different teams");
    }
    if (!Team.isValid(team)) {
      throw ApiException.badRequest(Team.INVALID);
    }
    return team;
  }

  /**
   * What the request names, unvalidated and without failing: for the access log, which records
   * whatever a client sent.
   */
  static String named(HttpServerExchange exchange) {
    var teamId = exchange.getQueryParameters().get("teamId");
    if (teamId != null && !teamId.isEmpty()) {
      return Team.fromId(teamId.getFirst());
    }
    var slug = exchange.getQueryParameters().get("slug");
    return slug == null || slug.isEmpty() ? null : slug.getFirst();
  }

  private static String single(HttpServerExchange exchange, String name) {
    Deque<String> values = exchange.getQueryParameters().get(name);
    if (values == null || values.isEmpty()) {
      return null;
    }
    if (values.size() > 1) {
      throw ApiException.badRequest("query parameter '" + name + "' given more than once");
    }
    return values.getFirst();
  }
}
