package dev.turbocache.server.auth;

import dev.turbocache.server.config.TurboCacheConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where the server's tokens come from: the configured tokens file (watched for changes), or, with
 * no file configured, a token generated once into the data directory for a zero-config start.
 */
public final class TokenSetup implements AutoCloseable {
  /**
   * The team the startup line suggests to a token for any team, and that {@code /v2/teams}
   * always lists for one, so {@code turbo link --scope=local} works before anything is uploaded.
   */
  public static final String DEFAULT_TEAM = "local";

  private final TokenRegistry registry;
  private final TokensFileWatcher watcher;
  private final String generated;

  private TokenSetup(TokenRegistry registry, TokensFileWatcher watcher, String generated) {
    this.registry = registry;
    this.watcher = watcher;
    this.generated = generated;
  }

  public static TokenSetup start(TurboCacheConfig.Auth auth, Path dataDir, MeterRegistry meters) {
    if (auth.tokensFile() == null) {
      String token = GeneratedToken.loadOrCreate(dataDir);
      return new TokenSetup(new TokenRegistry(GeneratedToken.tokenSet(token)), null, token);
    }
    TokenRegistry registry = new TokenRegistry(TokenSet.EMPTY);
    TokensFileWatcher watcher =
        new TokensFileWatcher(auth.tokensFile(), registry, auth.reloadInterval(), meters).start();
    return new TokenSetup(registry, watcher, null);
  }

  public TokenRegistry registry() {
    return registry;
  }

  /** The generated token of a zero-config start; empty when a tokens file is in use. */
  public Optional<String> generatedToken() {
    return Optional.ofNullable(generated);
  }

  /**
   * The token and team the startup line suggests: the generated token with {@link #DEFAULT_TEAM},
   * or the name of a token from the file that may upload (failing that, any token) with a team
   * it may use. Empty when the tokens file holds no token.
   */
  public Optional<Suggestion> suggestion() {
    if (generated != null) {
      return Optional.of(new Suggestion(GeneratedToken.NAME, generated, DEFAULT_TEAM));
    }
    Comparator<TokenEntry> uploadersFirst = Comparator.comparing(
        (TokenEntry e) -> e.access() != AccessLevel.READWRITE).thenComparing(
        e -> !e.access().allows(AccessLevel.READWRITE));
    return registry.current().entries().stream()
        .min(uploadersFirst)
        .map(e -> new Suggestion(e.name(), null, e.teams().stream()
            .filter(t -> !t.equals(Principal.ANY_TEAM)).sorted().findFirst().orElse(DEFAULT_TEAM)));
  }

  /**
   * @param tokenName the token's name
   * @param token the secret when the server generated it (never one from the tokens file)
   * @param team a team that token may use
   */
  public record Suggestion(String tokenName, String token, String team) {}

  /** Every concrete team named in the current tokens (what a wildcard token can list). */
  public Set<String> namedTeams() {
    Set<String> teams = new TreeSet<>();
    for (TokenEntry entry : registry.current().entries()) {
      teams.addAll(entry.teams());
    }
    teams.remove(Principal.ANY_TEAM);
    return teams;
  }

  @Override
  public void close() {
    if (watcher != null) {
      watcher.close();
    }
  }
}
