package dev.turbocache.server.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One claims-to-access rule of an issuer.
 *
 * @param match claim name to what it must be: a string (exact, or a glob with {@code *} and
 *     {@code ?}), or a list of such (any of them); every entry must match. Empty matches every token.
 * @param teams the teams granted: names, {@code "*"}, or templates with {@code {claim}}
 *     placeholders ({@code "{repository_owner}"})
 * @param access read, readwrite or admin
 */
public record JwtRule(Map<String, Object> match, List<String> teams, String access) {
  public JwtRule {
    // In file order, and null values kept for the validator to name.
    match = match == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(match));
    teams = teams == null ? List.of() : List.copyOf(teams);
  }
}
