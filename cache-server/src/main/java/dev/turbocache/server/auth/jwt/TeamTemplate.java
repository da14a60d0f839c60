package dev.turbocache.server.auth.jwt;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.turbocache.server.artifact.Team;
import dev.turbocache.server.auth.Principal;
import dev.turbocache.server.config.ConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A team a rule grants: a fixed name, {@code "*"}, or a template such as {@code "{repository_owner}"}
 * or {@code "gh-{repository_owner}"} whose placeholders are replaced by claim values. What a
 * template gives must still be a valid team name, so a claim cannot reach into another namespace.
 */
final class TeamTemplate {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z0-9_.:-]+)}");

  private final String template;
  private final List<String> claims;

  private TeamTemplate(String template, List<String> claims) {
    this.template = template;
    this.claims = claims;
  }

  static TeamTemplate parse(String template, String setting) {
    List<String> claims = new ArrayList<>();
    Matcher m = PLACEHOLDER.matcher(template);
    while (m.find()) {
      claims.add(m.group(1));
    }
    String literal = PLACEHOLDER.matcher(template).replaceAll("x");
    if (!template.equals(Principal.ANY_TEAM) && (literal.contains("{") || literal.contains("}")
        || !Team.isValid(literal))) {
      throw new ConfigException(setting + ": '" + template + "' is neither a team name, \"*\" nor "
          + "a template like \"{repository_owner}\" (" + Team.INVALID + ")");
    }
    return new TeamTemplate(template, List.copyOf(claims));
  }

  /** The team for these claims; empty when a placeholder's claim is missing or not a plain value. */
  Optional<String> render(JWTClaimsSet tokenClaims) {
    String team = template;
    for (String claim : claims) {
      Optional<String> value = ClaimMatch.text(tokenClaims.getClaim(claim));
      if (value.isEmpty()) {
        return Optional.empty();
      }
      team = team.replace("{" + claim + "}", value.get());
    }
    return Optional.of(team);
  }

  @Override
  public String toString() {
    return template;
  }
}
