package dev.turbocache.server.auth;

import dev.turbocache.server.config.ConfigException;
import java.util.List;

/**
 * The tokens file cannot be used. The message lists every problem found, each naming the entry it
 * concerns; messages are built so that they never contain a token or a digest, because they end up
 * in logs.
 */
public class InvalidTokensFileException extends ConfigException {
  private final transient List<String> problems;

  public InvalidTokensFileException(String origin, List<String> problems) {
    super(format(origin, problems));
    this.problems = List.copyOf(problems);
  }

  /** One line per problem, without the origin prefix. */
  public List<String> problems() {
    return problems;
  }

  private static String format(String origin, List<String> problems) {
    if (problems.size() == 1) {
      return "tokens file " + origin + ": " + problems.get(0);
    }
    return "tokens file " + origin + " has " + problems.size() + " problems: "
        + String.join("; ", problems);
  }
}
