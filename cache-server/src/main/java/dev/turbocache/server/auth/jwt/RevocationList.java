package dev.turbocache.server.auth.jwt;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The revoked token ids this server refuses. Requests look them up in memory, without waiting for
 * a store; a shared store (Redis) is read again every refresh interval, so a revocation made on
 * one server reaches the others within that. A failed read keeps the last list (logged once per
 * outage): revocations already seen stay in force.
 */
public final class RevocationList implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RevocationList.class);

  private final Set<String> configured;
  /** The ids of {@code auth.jwt.revokedIdsFile}, replaced whole whenever the file changes. */
  private volatile Set<String> listedInFile = Set.of();
  private final RevokedTokenStore store;
  private final Clock clock;
  private final ScheduledExecutorService refresher;
  private volatile Map<String, Instant> revoked;
  private volatile boolean failing;

  public RevocationList(RevokedTokenStore store, Duration refreshInterval, Clock clock) {
    this(store, refreshInterval, clock, Set.of());
  }

  /**
   * @param configured ids revoked by the configuration ({@code auth.jwt.revokedIds}): refused for
   *     as long as they are listed, by every server given the same configuration
   */
  public RevocationList(RevokedTokenStore store, Duration refreshInterval, Clock clock,
      Collection<String> configured) {
    this.configured = Set.copyOf(configured);
    this.store = store;
    this.clock = clock;
    this.revoked = Map.of();
    refresh();
    if (store.shared()) {
      refresher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "revocation-refresh");
        t.setDaemon(true);
        return t;
      });
      long millis = refreshInterval.toMillis();
      refresher.scheduleWithFixedDelay(this::refresh, millis, millis, TimeUnit.MILLISECONDS);
    } else {
      refresher = null;
    }
  }

  public boolean isRevoked(String jti) {
    if (configured.contains(jti) || listedInFile.contains(jti)) {
      return true;
    }
    Instant until = revoked.get(jti);
    return until != null && !clock.instant().isAfter(until);
  }

  /** Revokes {@code jti} until {@code until}: on this server at once, on the others once stored. */
  public void revoke(String jti, Instant until) throws IOException {
    store.add(jti, until);
    synchronized (this) {
      Map<String, Instant> next = new HashMap<>(revoked);
      next.merge(jti, until, (a, b) -> a.isAfter(b) ? a : b);
      revoked = Map.copyOf(next);
    }
  }

  /** Whether other servers see this list's revocations (a shared store), or only this one. */
  public boolean shared() {
    return store.shared();
  }

  /** Puts the ids of the revoked ids file in force, in place of those it listed before. */
  void replaceListedInFile(Set<String> ids) {
    listedInFile = Set.copyOf(ids);
  }

  /** How many ids the revoked ids file lists now. */
  int listedInFile() {
    return listedInFile.size();
  }

  /** How many ids are revoked now, those of the configuration and the file included (each id once). */
  public int size() {
    Set<String> file = listedInFile;
    long listed = configured.size() + file.stream().filter(id -> !configured.contains(id)).count();
    long stored = revoked.keySet().stream().filter(id -> !configured.contains(id) && !file.contains(id)).count();
    return (int) (listed + stored);
  }

  void refresh() {
    try {
      Map<String, Instant> loaded = store.load();
      synchronized (this) {
        // A revocation made here while the read was under way stays in.
        Map<String, Instant> next = new HashMap<>(loaded);
        Instant now = clock.instant();
        revoked.forEach((jti, until) -> {
          if (!now.isAfter(until)) {
            next.merge(jti, until, (a, b) -> a.isAfter(b) ? a : b);
          }
        });
        revoked = Map.copyOf(next);
      }
      if (failing) {
        failing = false;
        LOG.info("revoked tokens: read again from the shared store");
      }
    } catch (IOException | RuntimeException e) {
      if (!failing) {
        failing = true;
        LOG.warn("revoked tokens: the store cannot be read ({}); the {} revocations known "
            + "stay in force", e.getMessage(), revoked.size());
      }
    }
  }

  @Override
  public void close() {
    if (refresher != null) {
      refresher.shutdownNow();
    }
    store.close();
  }
}
