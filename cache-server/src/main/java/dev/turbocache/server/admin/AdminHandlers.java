package dev.turbocache.server.admin;

import dev.turbocache.server.admin.AdminApi.ArtifactEntry;
import dev.turbocache.server.admin.AdminApi.ArtifactList;
import dev.turbocache.server.admin.AdminApi.ClearResponse;
import dev.turbocache.server.admin.AdminApi.DeleteResponse;
import dev.turbocache.server.admin.AdminApi.PurgeRequest;
import dev.turbocache.server.admin.AdminApi.PurgeResponse;
import dev.turbocache.server.admin.AdminApi.ResetResponse;
import dev.turbocache.server.admin.AdminApi.Stats;
import dev.turbocache.server.admin.AdminApi.TeamRow;
import dev.turbocache.server.admin.AdminApi.TierStats;
import dev.turbocache.server.admin.AdminApi.Totals;
import dev.turbocache.server.admin.StorageMaintenance.Holding;
import dev.turbocache.server.artifact.ArtifactKey;
import dev.turbocache.server.artifact.ArtifactMetadata;
import dev.turbocache.server.artifact.Team;
import dev.turbocache.server.auth.AccessLevel;
import dev.turbocache.server.auth.Principal;
import dev.turbocache.server.config.DurationParser;
import dev.turbocache.server.http.AccessGuard;
import dev.turbocache.server.http.ApiError;
import dev.turbocache.server.http.ApiException;
import dev.turbocache.server.http.ArtifactHeaders;
import dev.turbocache.server.http.Json;
import dev.turbocache.server.http.PathParameters;
import dev.turbocache.server.http.UploadTarget;
import dev.turbocache.server.metrics.TeamStats;
import dev.turbocache.server.storage.Artifact;
import dev.turbocache.server.storage.ArtifactStore;
import dev.turbocache.server.storage.Storage;
import dev.turbocache.server.storage.StoreStats;
import io.undertow.server.HttpHandler;
import io.undertow.util.Headers;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code /admin/} API: requests in, {@link StorageMaintenance} and the team counters asked,
 * JSON out. Every route needs an {@code admin} token (none: 401, another level: 403). Routes about
 * one team need an admin token for that team; server-wide routes (stats, reset, clearing a tier,
 * a purge across all teams) need an admin token for every team ({@code "*"}).
 */
public final class AdminHandlers {
  private static final Logger LOG = LoggerFactory.getLogger(AdminHandlers.class);

  private final ArtifactStore store;
  private final StorageMaintenance maintenance;
  private final AccessGuard guard;
  private final TeamStats teams;
  private final Clock clock;
  private volatile Instant since;

  public AdminHandlers(Storage storage, AccessGuard guard, TeamStats teams, Clock clock) {
    this.store = storage.store();
    this.maintenance = new StorageMaintenance(storage);
    this.guard = guard;
    this.teams = teams;
    this.clock = clock;
    this.since = clock.instant();
  }

  /** {@code GET /admin/stats}: per tier and per team, since start or the last reset. */
  public HttpHandler stats() {
    return exchange -> {
      List<TierStats> tiers = maintenance.tiers().stream()
          .map(t -> new TierStats(t.name(), t.counts().hits(), t.counts().misses(),
              t.counts().errors(), AdminApi.ratio(t.counts().hits(), t.counts().misses()),
              known(t.held().entries()), known(t.held().bytes())))
          .toList();
      SortedMap<String, Holding> held = maintenance.heldByTeam();
      Map<String, TeamStats.Snapshot> counted = teams.snapshot();
      TreeSet<String> names = new TreeSet<>(held.keySet());
      names.addAll(counted.keySet());
      List<TeamRow> rows = names.stream().map(team -> {
        TeamStats.Snapshot c = counted.getOrDefault(team, TeamStats.Snapshot.NONE);
        Holding h = held.getOrDefault(team, Holding.NONE);
        return new TeamRow(team, c.hits(), c.misses(), AdminApi.ratio(c.hits(), c.misses()),
            c.uploads(), c.uploadedBytes(), h.entries(), h.bytes());
      }).toList();
      long hits = counted.values().stream().mapToLong(TeamStats.Snapshot::hits).sum();
      long misses = counted.values().stream().mapToLong(TeamStats.Snapshot::misses).sum();
      StoreStats durable = maintenance.held();
      Totals totals = new Totals(hits, misses, AdminApi.ratio(hits, misses),
          known(durable.entries()), known(durable.bytes()));
      Json.send(exchange, 200, new Stats(since, totals, tiers, rows));
    };
  }

  /** {@code POST /admin/stats/reset}: zeroes the admin view (Prometheus counters keep counting). */
  public HttpHandler resetStats() {
    return exchange -> {
      maintenance.resetCounts();
      teams.reset();
      since = clock.instant();
      LOG.info("admin stats reset by token '{}'", AccessGuard.principal(exchange).name());
      Json.send(exchange, 200, new ResetResponse(since));
    };
  }

  /** {@code POST /admin/tiers/{tier}/clear}: empties one tier. */
  public HttpHandler clearTier() {
    return exchange -> {
      String name = PathParameters.get(exchange, "tier");
      StoreStats before = maintenance.clear(name).orElseThrow(() -> new ApiException(
          ApiError.notFound("no tier '" + name + "'; this server has " + maintenance.tierNames())));
      LOG.info("tier {} cleared by token '{}' ({} entries)", name,
          AccessGuard.principal(exchange).name(), before.entries());
      Json.send(exchange, 200, new ClearResponse(name, known(before.entries()), known(before.bytes())));
    };
  }

  /** {@code POST /admin/purge}: removes artifacts created longer ago than {@code olderThan}. */
  public HttpHandler purge() {
    return exchange -> {
      // The route's access check admitted an admin token before the body was read.
      Principal p = AccessGuard.principal(exchange);
      PurgeRequest req = Json.read(exchange, PurgeRequest.class);
      Duration age = age(req.olderThan());
      String team = req.team() == null || req.team().isEmpty() ? null : req.team();
      if (team == null) {
        guard.requireGlobalAdmin(exchange);
      } else {
        if (!Team.isValid(team)) {
          throw ApiException.badRequest(Team.INVALID);
        }
        guard.require(exchange, team, AccessLevel.ADMIN);
      }
      Purge plan = maintenance.planPurge(req.olderThan(), clock.instant().minus(age), team);
      // Written before anything is deleted: a report that cannot be serialized fails here.
      PurgeResponse planned = plan.report();
      byte[] plannedJson = Json.encode(planned);
      if (Boolean.TRUE.equals(req.dryRun())) {
        logPurge(planned, team, p);
        Json.sendEncoded(exchange, 200, plannedJson);
        return;
      }
      PurgeResponse done = maintenance.purge(plan);
      logPurge(done, team, p);
      Json.send(exchange, 200, done);
    };
  }

  private static Duration age(String olderThan) {
    if (olderThan == null || olderThan.isBlank()) {
      throw ApiException.badRequest("olderThan is required, e.g. {\"olderThan\": \"14d\"}");
    }
    Duration age;
    try {
      age = DurationParser.parse(olderThan);
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw ApiException.badRequest("olderThan: " + e.getMessage());
    }
    if (age.isNegative()) {
      throw ApiException.badRequest("olderThan must not be negative");
    }
    return age;
  }

  private static void logPurge(PurgeResponse r, String team, Principal p) {
    if (r.error() != null) {
      LOG.warn("purge older than {} (team {}) by token '{}' stopped after {} artifacts, {} bytes, "
          + "{} left: {}", r.olderThan(), team == null ? "*" : team, p.name(), r.removed(), r.bytes(),
          r.remaining(), r.error());
      return;
    }
    LOG.info("purge older than {} (team {}) by token '{}': {} artifacts, {} bytes{}",
        r.olderThan(), team == null ? "*" : team, p.name(), r.removed(), r.bytes(),
        r.dryRun() ? " (dry run)" : "");
  }

  /** {@code GET /admin/teams/{team}/artifacts}: every artifact of a team with its metadata. */
  public HttpHandler listArtifacts() {
    return exchange -> {
      String team = AccessGuard.team(exchange);
      List<ArtifactEntry> entries = maintenance.artifactsOf(team).entrySet().stream()
          .map(e -> new ArtifactEntry(e.getKey(), e.getValue()))
          .toList();
      Json.send(exchange, 200, new ArtifactList(team, entries));
    };
  }

  /**
   * {@code GET /admin/artifacts/{team}/{hash}}: the body with every metadata header, the CI
   * vendor and the creation time included (for export). Unlike the turbo route it counts no team
   * hit and no time saved.
   */
  public HttpHandler download() {
    return exchange -> {
      ArtifactKey key = PathParameters.artifactKey(exchange);
      Optional<Artifact> found = store.get(key);
      if (found.isEmpty()) {
        throw new ApiException(ApiError.notFound("artifact " + key + " not found"));
      }
      try (Artifact artifact = found.get()) {
        ArtifactMetadata m = artifact.metadata();
        exchange.setStatusCode(200);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/octet-stream");
        exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, m.size());
        ArtifactHeaders.write(m, exchange.getResponseHeaders(), ArtifactHeaders.ALL);
        try (InputStream in = artifact.body().openStream()) {
          OutputStream out = exchange.getOutputStream();
          in.transferTo(out);
          out.flush();
        }
      }
    };
  }

  /**
   * {@code PUT /admin/artifacts/{team}/{hash}}, once the artifact is stored with every metadata
   * header, the creation time included (import keeps the original age, so a later purge treats
   * restored artifacts like the originals).
   */
  public UploadTarget.Answer imported() {
    return (exchange, upload) -> {
      LOG.debug("artifact {} stored through the admin API by token '{}'", upload.key(),
          AccessGuard.principal(exchange).name());
      Json.send(exchange, 201, new ArtifactEntry(upload.key().hash(), upload.metadata()));
    };
  }

  /** {@code DELETE /admin/artifacts/{team}/{hash}}: removes one artifact from every tier. */
  public HttpHandler delete() {
    return exchange -> {
      ArtifactKey key = PathParameters.artifactKey(exchange);
      if (!store.delete(key)) {
        throw new ApiException(ApiError.notFound("artifact " + key + " not found"));
      }
      LOG.info("artifact {} deleted by token '{}'", key, AccessGuard.principal(exchange).name());
      Json.send(exchange, 200, new DeleteResponse(key.team(), key.hash(), true));
    };
  }

  /** Counts a tier cannot give cheaply are left out of the JSON. */
  private static Long known(long v) {
    return v < 0 ? null : v;
  }
}
