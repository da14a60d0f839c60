package dev.turbocache.server.protocol;

import dev.turbocache.server.http.ApiException;
import dev.turbocache.server.storage.ArtifactKey;
import io.undertow.server.HttpServerExchange;
import java.util.Deque;

/**
 * Finds the team a request is about. turbo sends {@code slug=<TURBO_TEAM>} and/or
 * {@code teamId=<TURBO_TEAMID>}; team ids must start with {@code team_} on the client side, so
 * {@code teamId=team_acme} and {@code slug=acme} name the same team here. That is also what
 * {@code /v2/teams} advertises, so a {@code turbo link}ed repo and one using TURBO_TEAM share
 * artifacts.
 */
public final class TeamResolver {
  public static final String TEAM_ID_PREFIX = "team_";

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
    String team = teamId != null ? fromTeamId(teamId) : slug;
    if (team == null || team.isEmpty()) {
      return null;
    }
    if (teamId != null && slug != null && !slug.isEmpty() && !slug.equals(team)) {
      throw ApiException.badRequest(
          "teamId '" + teamId + "' and slug '" + slug + "' name different teams");
    }
    if (!ArtifactKey.isValidTeam(team)) {
      throw ApiException.badRequest(
          "invalid team: use 1-64 letters, digits, '_', '-' or '.', starting with a letter or digit");
    }
    return team;
  }

  /** {@code team_acme} → {@code acme}; ids without the prefix are taken as they are. */
  public static String fromTeamId(String teamId) {
    return teamId.startsWith(TEAM_ID_PREFIX) && teamId.length() > TEAM_ID_PREFIX.length()
        ? teamId.substring(TEAM_ID_PREFIX.length())
        : teamId;
  }

  public static String toTeamId(String team) {
    return TEAM_ID_PREFIX + team;
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
