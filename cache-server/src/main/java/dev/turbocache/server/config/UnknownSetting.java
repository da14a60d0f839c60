package dev.turbocache.server.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** The error for a setting name that is none: where it was, and the names it may have meant. */
final class UnknownSetting {
  /** More names sharing the longest prefix than this are no suggestion, just a list. */
  private static final int MAX_SUGGESTIONS = 4;

  private UnknownSetting() {}

  /** {@code path} in the file {@code origin}, whose mapping holds the {@code known} keys. */
  static ConfigException inFile(String path, String origin, ObjectNode known) {
    int dot = path.lastIndexOf('.');
    List<String> keys = new ArrayList<>();
    known.fieldNames().forEachRemaining(keys::add);
    return new ConfigException("unknown setting '" + path + "' in " + origin + "; "
        + (dot < 0 ? "the top level" : path.substring(0, dot)) + " has " + String.join(", ", keys));
  }

  /** The variable {@code name}, which is none of the {@code known} ones. */
  static ConfigException inEnvironment(String name, Collection<String> known) {
    List<String> closest = closest(name, known);
    String hint = closest.isEmpty() ? ""
        : closest.size() == 1 ? "; did you mean " + closest.getFirst() + "?"
        : "; did you mean one of " + String.join(", ", closest) + "?";
    return new ConfigException("unknown environment setting " + name + hint
        + " (settings are listed in docs/configuration.md)");
  }

  /**
   * The known names that share the longest start with {@code name}, past the prefix and a letter
   * that every name has: a misspelt ending (PROT for PORT, MAXSIZE for MAX_SIZE) finds its name.
   */
  private static List<String> closest(String name, Collection<String> known) {
    int longest = ConfigLoader.ENV_PREFIX.length() + 1;
    List<String> best = new ArrayList<>();
    for (String candidate : known) {
      int shared = sharedStart(name, candidate);
      if (shared > longest) {
        longest = shared;
        best.clear();
      }
      if (shared == longest) {
        best.add(candidate);
      }
    }
    return best.size() <= MAX_SUGGESTIONS ? best : List.of();
  }

  private static int sharedStart(String a, String b) {
    int n = Math.min(a.length(), b.length());
    int i = 0;
    while (i < n && a.charAt(i) == b.charAt(i)) {
      i++;
    }
    return i;
  }
}
