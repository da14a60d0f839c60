package dev.turbocache.server.account;

import dev.turbocache.server.auth.TokenSetup;
import dev.turbocache.server.storage.ArtifactStore;
import java.io.IOException;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code /v2/teams} lists for a token that may use any team. "Any team" cannot be
 * enumerated, yet {@code turbo link --scope=<team>} only accepts a team from that list: so it is
 * the teams the tokens file names, the default team the startup line suggests, and every team
 * that holds artifacts.
 */
public final class WildcardTeams implements Supplier<Set<String>> {
  private static final Logger LOG = LoggerFactory.getLogger(WildcardTeams.class);

  private final Supplier<Set<String>> named;
  private final ArtifactStore store;

  public WildcardTeams(Supplier<Set<String>> named, ArtifactStore store) {
    this.named = named;
    this.store = store;
  }

  @Override
  public Set<String> get() {
    Set<String> teams = new TreeSet<>(named.get());
    teams.add(TokenSetup.DEFAULT_TEAM);
    try {
      teams.addAll(store.teams());
    } catch (IOException | RuntimeException e) {
      LOG.warn("listing the teams that hold artifacts failed: {}", e.toString());
    }
    return teams;
  }
}
