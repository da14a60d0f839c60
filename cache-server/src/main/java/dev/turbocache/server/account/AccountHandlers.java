package dev.turbocache.server.account;

import dev.turbocache.server.artifact.Team;
import dev.turbocache.server.auth.Principal;
import dev.turbocache.server.http.AccessGuard;
import dev.turbocache.server.http.ApiError;
import dev.turbocache.server.http.ApiException;
import dev.turbocache.server.http.Json;
import io.undertow.server.HttpHandler;
import io.undertow.util.PathTemplateMatch;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The Vercel account routes turbo needs for {@code turbo link} and {@code turbo login --manual}:
 * a user per token, and the teams that token may use.
 */
public final class AccountHandlers {
  private final Supplier<Set<String>> wildcardTeams;
  private final Instant since;

  /** @param wildcardTeams what a token for any team lists ({@link WildcardTeams}) */
  public AccountHandlers(Supplier<Set<String>> wildcardTeams, Instant since) {
    this.wildcardTeams = wildcardTeams;
    this.since = since;
  }

  /** {@code GET /v2/user}. */
  public HttpHandler user() {
    return exchange -> {
      Principal p = AccessGuard.principal(exchange);
      Json.send(exchange, 200, new UserResponse(new UserView(
          p.name(), p.name(), p.name() + "@turbocache.local", p.name(), since.toEpochMilli())));
    };
  }

  /** {@code GET /v2/teams}. */
  public HttpHandler teams() {
    return exchange -> {
      Principal p = AccessGuard.principal(exchange);
      List<TeamView> teams = visibleTeams(p).stream().map(t -> TeamView.of(t, since)).toList();
      Json.send(exchange, 200, new TeamsResponse(teams, new Pagination(teams.size(), null, null)));
    };
  }

  /** {@code GET /v2/teams/{id}}: by {@code team_<slug>} id or by slug. */
  public HttpHandler team() {
    return exchange -> {
      Principal p = AccessGuard.principal(exchange);
      String id = exchange.getAttachment(PathTemplateMatch.ATTACHMENT_KEY).getParameters().get("id");
      String team = Team.fromId(id);
      if (!Team.isValid(team) || !p.mayUse(team)) {
        throw new ApiException(ApiError.notFound("team " + id + " not found"));
      }
      Json.send(exchange, 200, TeamView.of(team, since));
    };
  }

  private Set<String> visibleTeams(Principal p) {
    Set<String> teams = new TreeSet<>();
    for (String t : p.teams()) {
      if (Principal.ANY_TEAM.equals(t)) {
        teams.addAll(wildcardTeams.get());
      } else {
        teams.add(t);
      }
    }
    teams.remove(Principal.ANY_TEAM);
    return teams;
  }

  record UserResponse(UserView user) {}

  record UserView(String id, String username, String email, String name, long createdAt) {}

  record TeamsResponse(List<TeamView> teams, Pagination pagination) {}

  record Pagination(int count, Long next, Long prev) {}
}
