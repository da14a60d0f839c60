package dev.turbocache.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Per-team counters with a bounded set of teams: the first {@code maxTeams} teams seen since start
 * get their own entry (and their own {@code team} label), every later team is counted as
 * {@value #OTHER}. Team names come from requests, so without the bound a client could create
 * series at will.
 *
 * <p>Feeds both Prometheus ({@code turbocache_artifacts_uploaded*}, {@code turbocache_team_lookups}, monotonic) and the admin stats (which
 * {@link #reset()} zeroes without touching the Prometheus counters, whose resets would look like
 * process restarts to {@code rate()}).
 */
public final class TeamStats {
  public static final String OTHER = "other";

  /** One team's numbers at one moment. */
  public record Snapshot(long hits, long misses, long uploads, long uploadedBytes) {
    public static final Snapshot NONE = new Snapshot(0, 0, 0, 0);
  }

  private final int maxTeams;
  private final MeterRegistry registry;
  private final Map<String, Team> teams = new ConcurrentHashMap<>();

  public TeamStats(int maxTeams, MeterRegistry registry) {
    this.maxTeams = maxTeams;
    this.registry = registry;
  }

  /** A GET of an artifact of {@code team} was served. */
  public void hit(String team) {
    bucket(team).hit();
  }

  /** A GET of an artifact of {@code team} found nothing. */
  public void miss(String team) {
    bucket(team).miss();
  }

  /** An upload of {@code bytes} was stored for {@code team}. */
  public void uploaded(String team, long bytes) {
    bucket(team).uploaded(bytes);
  }

  /** The label a team is counted under: its own name, or {@value #OTHER} once the bound is reached. */
  public String label(String team) {
    return bucket(team).name;
  }

  /** Counts since start or the last {@link #reset()}, by team label, sorted. */
  public Map<String, Snapshot> snapshot() {
    Map<String, Snapshot> out = new TreeMap<>();
    teams.forEach((name, t) -> out.put(name, t.snapshot()));
    return out;
  }

  /** Zeroes the admin view; Prometheus counters keep counting. */
  public void reset() {
    teams.values().forEach(Team::reset);
  }

  private Team bucket(String team) {
    Team t = teams.get(team);
    if (t != null) {
      return t;
    }
    synchronized (this) {
      t = teams.get(team);
      if (t != null) {
        return t;
      }
      long named = teams.keySet().stream().filter(n -> !n.equals(OTHER)).count();
      String name = named < maxTeams && !OTHER.equals(team) ? team : OTHER;
      return teams.computeIfAbsent(name, n -> new Team(n, registry));
    }
  }

  private static final class Team {
    final String name;
    final LongAdder hits = new LongAdder();
    final LongAdder misses = new LongAdder();
    final LongAdder uploads = new LongAdder();
    final LongAdder uploadedBytes = new LongAdder();
    final Counter hitCounter;
    final Counter missCounter;
    final Counter uploadCounter;
    final Counter uploadBytesCounter;

    Team(String name, MeterRegistry registry) {
      this.name = name;
      hitCounter = lookups(registry, name, "hit");
      missCounter = lookups(registry, name, "miss");
      uploadCounter = Counter.builder("turbocache.artifacts.uploaded")
          .description("Artifacts uploaded and stored, by team (bounded, see metrics.maxTeams)")
          .tag("team", name)
          .register(registry);
      uploadBytesCounter = Counter.builder("turbocache.artifacts.uploaded.bytes")
          .description("Body bytes of artifacts uploaded and stored, by team")
          .baseUnit("bytes")
          .tag("team", name)
          .register(registry);
    }

    private static Counter lookups(MeterRegistry registry, String team, String result) {
      return Counter.builder("turbocache.team.lookups")
          .description("Artifact downloads (GET) by team and result")
          .tags("team", team, "result", result)
          .register(registry);
    }

    void hit() {
      hits.increment();
      hitCounter.increment();
    }

    void miss() {
      misses.increment();
      missCounter.increment();
    }

    void uploaded(long bytes) {
      uploads.increment();
      uploadedBytes.add(bytes);
      uploadCounter.increment();
      uploadBytesCounter.increment(bytes);
    }

    Snapshot snapshot() {
      return new Snapshot(hits.sum(), misses.sum(), uploads.sum(), uploadedBytes.sum());
    }

    void reset() {
      hits.reset();
      misses.reset();
      uploads.reset();
      uploadedBytes.reset();
    }
  }
}
