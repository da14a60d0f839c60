package dev.turbocache.server.auth.jwt;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.turbocache.server.artifact.Team;
import dev.turbocache.server.auth.AccessLevel;
import dev.turbocache.server.auth.Principal;
import dev.turbocache.server.config.ConfigException;
import dev.turbocache.server.config.JwtRule;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** One rule of an issuer: when every claim matches, the token gets these teams at this access. */
record AccessRule(int index, List<ClaimMatch> matches, List<TeamTemplate> teams, AccessLevel access) {

  static AccessRule of(int index, JwtRule rule, String setting) {
    AccessLevel access = AccessLevel.fromConfigName(rule.access())
        .orElseThrow(() -> new ConfigException(setting + ".access must be read, readwrite or admin"));
    return new AccessRule(index,
        rule.match().entrySet().stream().map(e -> ClaimMatch.of(e.getKey(), e.getValue())).toList(),
        rule.teams().stream().map(t -> TeamTemplate.parse(t, setting + ".teams")).toList(),
        access);
  }

  boolean matches(JWTClaimsSet claims) {
    return matches.stream().allMatch(m -> m.matches(claims));
  }

  /** What this (matching) rule grants, or why it cannot: a template that gives no valid team. */
  Grant grant(JWTClaimsSet claims) {
    Set<String> granted = new LinkedHashSet<>();
    for (TeamTemplate template : teams) {
      Optional<String> team = template.render(claims);
      if (team.isEmpty() || !(team.get().equals(Principal.ANY_TEAM) || Team.isValid(team.get()))) {
        return new Grant.Refused("rule " + index + " matches, but its team '" + template
            + "' gives no valid team for this token");
      }
      granted.add(team.get());
    }
    return new Grant.Teams(granted, access);
  }

  /** The outcome of the rules for one token. */
  sealed interface Grant {
    record Teams(Set<String> teams, AccessLevel access) implements Grant {}

    record Refused(String reason) implements Grant {}
  }
}
