package dev.turbocache.server.auth;

import dev.turbocache.server.config.TurboCacheConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where the server's tokens come from: the configured tokens file (watched for changes), or, with
 * no file configured, a token generated once into the data directory for a zero-config start.
 */
public final class TokenSetup implements AutoCloseable {
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
