package dev.turbocache.server.artifact;

import java.util.regex.Pattern;

/**
 * Team names: the namespace every artifact is stored under, and what tokens, query parameters,
 * paths and CLI options name. One rule for all of them, because every tier builds file paths and
 * object keys from a team.
 *
 * <p>turbo sends a team as a slug ({@code TURBO_TEAM}) or as an id ({@code TURBO_TEAMID}), and its
 * ids must start with {@value #ID_PREFIX}: {@code team_acme} and {@code acme} name the same team
 * here, which is also the id {@code /v2/teams} advertises, so a {@code turbo link}ed repository
 * and one using TURBO_TEAM share artifacts.
 */
public final class Team {
  /** Letters, digits, '_', '-', '.', starting with a letter or digit: safe as a path segment. */
  public static final Pattern NAME = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$");

  /** What a client is told about a name that breaks the rule. */
  public static final String INVALID =
      "invalid team: use 1-64 letters, digits, '_', '-' or '.', starting with a letter or digit";

  public static final String ID_PREFIX = "team_";

  private Team() {}

  /**
   * Whether {@code name} matches {@link #NAME}, checked character by character: this runs for
   * every request, where the regex matcher was a measurable share of a memory-tier hit.
   */
  public static boolean isValid(String name) {
    if (name == null || name.isEmpty() || name.length() > 64 || !isLetterOrDigit(name.charAt(0))) {
      return false;
    }
    for (int i = 1; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!isLetterOrDigit(c) && c != '_' && c != '.' && c != '-') {
        return false;
      }
    }
    return true;
  }

  private static boolean isLetterOrDigit(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }

  /** {@code team_acme} → {@code acme}; ids without the prefix are taken as they are. */
  public static String fromId(String teamId) {
    return teamId.startsWith(ID_PREFIX) && teamId.length() > ID_PREFIX.length()
        ? teamId.substring(ID_PREFIX.length())
        : teamId;
  }

  /** {@code acme} → {@code team_acme}. */
  public static String toId(String team) {
    return ID_PREFIX + team;
  }
}
