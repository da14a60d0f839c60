package dev.turbocache.server.artifact;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Identifies one artifact: the team namespace plus the task hash turbo computed. Both parts are
 * validated here, once, because every tier uses them to build file paths and object keys.
 */
public record ArtifactKey(String team, String hash) {

  /** Hex only, so a hash can never contain a path separator or a dot. */
  public static final Pattern HASH = Pattern.compile("^[a-fA-F0-9]{1,128}$");

  /** What a client is told about a hash that breaks the rule. */
  public static final String INVALID_HASH =
      "invalid artifact hash: expected 1-128 hexadecimal characters";

  public ArtifactKey {
    Objects.requireNonNull(team, "team");
    Objects.requireNonNull(hash, "hash");
    if (!Team.isValid(team)) {
      throw new IllegalArgumentException("invalid team: " + team);
    }
    if (!HASH.matcher(hash).matches()) {
      throw new IllegalArgumentException("invalid hash");
    }
  }

  public static boolean isValidHash(String hash) {
    return hash != null && HASH.matcher(hash).matches();
  }

  @Override
  public String toString() {
    return team + "/" + hash;
  }
}
