package dev.turbocache.server.auth;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Keeps a {@link TokenRegistry} in step with the tokens file ({@link WatchedFile} says how). A file
 * that is invalid or gone never removes access: the previous tokens stay in force until a valid
 * file appears, because locking every build out over a bad edit is worse than keeping a token a
 * little longer.
 */
public final class TokensFileWatcher implements AutoCloseable {
  public static final String RELOADS_METRIC = "turbocache.auth.reloads";

  private final WatchedFile watched;

  /**
   * Loads the file into the registry; does not poll until {@link #start()}.
   *
   * @throws InvalidTokensFileException when the file is missing or invalid, so that the server
   *     refuses to start rather than starting with no tokens
   */
  public TokensFileWatcher(
      Path file, TokenRegistry registry, Duration reloadInterval, MeterRegistry meters) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(registry, "registry");
    byte[] content = TokensFile.readBytes(file);
    registry.replace(TokensFile.parse(content, file.toString()));
    WatchedFile.Target target = new WatchedFile.Target() {
      @Override
      public String install(byte[] next) {
        TokenSet tokens = TokensFile.parse(next, file.toString());
        registry.replace(tokens);
        return tokens.size() + " token(s)";
      }

      @Override
      public String kept() {
        return "the " + registry.current().size() + " token(s) loaded before";
      }
    };
    this.watched = new WatchedFile("tokens file", file, content, reloadInterval, target,
        reloadCounter(meters, "success"), reloadCounter(meters, "failure")).gaugeStale(meters, "tokens");
  }

  /** Starts polling every reloadInterval. */
  public TokensFileWatcher start() {
    watched.start();
    return this;
  }

  /**
   * Checks the file once.
   *
   * @return true when a new token set was installed
   */
  public boolean reloadNow() {
    return watched.reloadNow();
  }

  /** Stops polling; the registry keeps the tokens it has. */
  @Override
  public void close() {
    watched.close();
  }

  private static Counter reloadCounter(MeterRegistry meters, String result) {
    return Counter.builder(RELOADS_METRIC)
        .description("Tokens file reloads after a change, by outcome")
        .tag("result", result)
        .register(meters);
  }
}
