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
    if (!isValidHash(hash)) {
      throw new IllegalArgumentException("invalid hash");
    }
  }

  /**
   * The key a tier's name for an artifact stands for: {@code <team><separator><hash>}, the form
   * {@link #toName} writes (after the tier's own prefix). Null for a name that is not one.
   */
  public static ArtifactKey parse(String name, char separator) {
    int at = name.indexOf(separator);
    if (at < 0) {
      return null;
    }
    String team = name.substring(0, at);
    String hash = name.substring(at + 1);
    return Team.isValid(team) && isValidHash(hash) ? new ArtifactKey(team, hash) : null;
  }

  /**
   * {@code <team><separator><hash>}: a name no other key has, for a separator that neither part
   * may contain (such as ':' or '/').
   */
  public String toName(char separator) {
    return team + separator + hash;
  }

  /** Whether {@code hash} matches {@link #HASH}, checked without a regex matcher (every request runs it). */
  public static boolean isValidHash(String hash) {
    if (hash == null || hash.isEmpty() || hash.length() > 128) {
      return false;
    }
    for (int i = 0; i < hash.length(); i++) {
      char c = hash.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return team + "/" + hash;
  }
}
