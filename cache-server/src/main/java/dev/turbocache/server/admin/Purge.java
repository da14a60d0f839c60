package dev.turbocache.server.admin;

import dev.turbocache.server.admin.AdminApi.PurgeResponse;
import dev.turbocache.server.admin.AdminApi.TeamRemoved;
import dev.turbocache.server.artifact.ArtifactKey;
import dev.turbocache.server.storage.ArtifactStore;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One purge by age. It is planned first (a scan, no side effects) and then carried out; once the
 * first artifact is gone nothing may throw, or the caller would get an error for a purge that did
 * happen and never learn what it removed. So a failing delete ends the purge with a report that
 * says what was removed and what was left, and the report's shape is serialized once before
 * anything is deleted ({@link #report()} of the plan), so a report that cannot be written fails
 * while the storage is still untouched.
 */
final class Purge {
  /** A report lists at most this many artifacts by name (the counts are always complete). */
  static final int MAX_LISTED = 1000;

  private final String olderThan;
  private final Instant cutoff;
  private final List<Candidate> candidates;

  private Purge(String olderThan, Instant cutoff, List<Candidate> candidates) {
    this.olderThan = olderThan;
    this.cutoff = cutoff;
    this.candidates = List.copyOf(candidates);
  }

  /**
   * Every artifact created before {@code cutoff}, of {@code team} or, when it is null, of every
   * team. Artifacts without a creation time are never purged: their age is unknown.
   */
  static Purge plan(ArtifactStore store, String olderThan, Instant cutoff, String team)
      throws IOException {
    List<Candidate> old = new ArrayList<>();
    store.scan((key, meta) -> {
      if ((team == null || team.equals(key.team()))
          && meta.createdAt() != null && meta.createdAt().isBefore(cutoff)) {
        old.add(new Candidate(key, meta.size()));
      }
    });
    return new Purge(olderThan, cutoff, old);
  }

  /** What the purge would remove: the dry-run answer, and the shape of the real one. */
  PurgeResponse report() {
    Tally tally = new Tally();
    candidates.forEach(tally::removed);
    return tally.response(true, null);
  }

  /** Deletes the planned artifacts; never throws, a storage failure is part of the report. */
  PurgeResponse execute(ArtifactStore store) {
    Tally tally = new Tally();
    for (Candidate c : candidates) {
      boolean gone;
      try {
        gone = store.delete(c.key());
      } catch (IOException | RuntimeException e) {
        // The tier that failed will most likely fail the next delete too: stop here.
        return tally.response(false, "deleting " + c.key() + " failed: " + e.getMessage());
      }
      if (gone) {
        tally.removed(c);
      }
      tally.tried++;
    }
    return tally.response(false, null);
  }

  private record Candidate(ArtifactKey key, long size) {}

  /** Counts as plain numbers and strings, so building the response has nothing left to fail. */
  private final class Tally {
    private final Map<String, long[]> perTeam = new TreeMap<>();
    private final List<String> listed = new ArrayList<>();
    private long removed;
    private long bytes;
    private long tried;

    void removed(Candidate c) {
      removed++;
      bytes += c.size();
      long[] t = perTeam.computeIfAbsent(c.key().team(), k -> new long[2]);
      t[0]++;
      t[1] += c.size();
      if (listed.size() < MAX_LISTED) {
        listed.add(c.key().toString());
      }
    }

    PurgeResponse response(boolean dryRun, String error) {
      Map<String, TeamRemoved> teams = new TreeMap<>();
      perTeam.forEach((team, v) -> teams.put(team, new TeamRemoved(v[0], v[1])));
      long remaining = error == null ? 0 : candidates.size() - tried;
      return new PurgeResponse(olderThan, cutoff, dryRun, removed, bytes, teams, listed,
          removed > listed.size(), remaining, error);
    }
  }
}
