package dev.turbocache.server.account;

import dev.turbocache.server.artifact.Team;
import java.time.Instant;

/**
 * A team as turbo's Vercel API client parses it (all fields required; {@code created} must be a
 * non-empty RFC 3339 string). The id carries the {@code team_} prefix turbo insists on for
 * TURBO_TEAMID, and maps back to the same team.
 */
record TeamView(String id, String slug, String name, long createdAt, String created, Membership membership) {

  static TeamView of(String team, Instant since) {
    return new TeamView(Team.toId(team), team, team, since.toEpochMilli(), since.toString(),
        new Membership("OWNER"));
  }

  record Membership(String role) {}
}
