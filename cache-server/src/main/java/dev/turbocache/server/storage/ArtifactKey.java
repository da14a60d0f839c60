package dev.turbocache.server.storage;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Identifies one artifact: the team namespace plus the task hash turbo computed. Both parts are
 * validated here, once, because every tier uses them to build file paths and object keys.
 */
public record ArtifactKey(String team, String hash) {

  /** Hex only, so a hash can never contain a path separator or a dot. */
  public static final Pattern HASH = Pattern.compile("^[a-fA-F0-9]{1,128}$");

  /** Letters, digits, '_', '-', '.', starting with a letter or digit: safe as a path segment. */
  public static final Pattern TEAM = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$");

  public ArtifactKey {
    Objects.requireNonNull(team, "team");
    Objects.requireNonNull(hash, "hash");
    if (!TEAM.matcher(team).matches()) {
      throw new IllegalArgumentException("invalid team: " + team);
    }
    if (!HASH.matcher(hash).matches()) {
      throw new IllegalArgumentException("invalid hash");
    }
  }

  public static boolean isValidHash(String hash) {
    return hash != null && HASH.matcher(hash).matches();
  }

  public static boolean isValidTeam(String team) {
    return team != null && TEAM.matcher(team).matches();
  }

  @Override
  public String toString() {
    return team + "/" + hash;
  }
}
