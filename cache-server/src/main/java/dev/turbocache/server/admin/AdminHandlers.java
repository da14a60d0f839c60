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
import dev.turbocache.server.auth.AccessLevel;
import dev.turbocache.server.auth.Principal;
import dev.turbocache.server.config.ByteSize;
import dev.turbocache.server.config.DurationParser;
import dev.turbocache.server.http.AccessGuard;
import dev.turbocache.server.http.ApiError;
import dev.turbocache.server.http.ApiException;
import dev.turbocache.server.http.Json;
import dev.turbocache.server.http.UploadTarget;
import dev.turbocache.server.metrics.TeamStats;
import dev.turbocache.server.protocol.ArtifactHeaders;
import dev.turbocache.server.storage.Artifact;
import dev.turbocache.server.storage.ArtifactBody;
import dev.turbocache.server.storage.ArtifactKey;
import dev.turbocache.server.storage.ArtifactMetadata;
import dev.turbocache.server.storage.ArtifactStore;
import dev.turbocache.server.storage.StoreStats;
import dev.turbocache.server.storage.TieredStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.PathTemplateMatch;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code /admin/} API. Every route needs an {@code admin} token (none: 401, another level:
 * 403). Routes about one team need an admin token for that team; server-wide routes (stats, reset,
 * clearing a tier, a purge across all teams) need an admin token for every team ({@code "*"}).
 */
public final class AdminHandlers {
  private static final Logger LOG = LoggerFactory.getLogger(AdminHandlers.class);
  private static final HttpString CREATED_AT = new HttpString(AdminApi.CREATED_AT_HEADER);

  private final TieredStore store;
  private final MeterRegistry registry;
  private final TeamStats teams;
  private final ByteSize maxArtifactSize;
  private final Clock clock;
  private final Map<String, long[]> tierBaseline = new ConcurrentHashMap<>();
  private volatile Instant since;

  private final AccessGuard guard;

  public AdminHandlers(TieredStore store, AccessGuard guard, MeterRegistry registry,
      TeamStats teams, ByteSize maxArtifactSize, Clock clock) {
    this.store = store;
    this.guard = guard;
    this.registry = registry;
    this.teams = teams;
    this.maxArtifactSize = maxArtifactSize;
    this.clock = clock;
    this.since = clock.instant();
  }

  /** {@code GET /admin/stats}: per tier and per team, since start or the last reset. */
  public HttpHandler stats() {
    return exchange -> {
      List<TierStats> tiers = new ArrayList<>();
      for (ArtifactStore tier : store.tiers()) {
        long[] now = tierCounts(tier.name());
        long[] base = tierBaseline.getOrDefault(tier.name(), new long[3]);
        long hits = now[0] - base[0];
        long misses = now[1] - base[1];
        StoreStats size = safeStats(tier);
        tiers.add(new TierStats(tier.name(), hits, misses, now[2] - base[2],
            AdminApi.ratio(hits, misses), known(size.entries()), known(size.bytes())));
      }
      Map<String, long[]> held = heldByTeam();
      Map<String, TeamStats.Snapshot> counted = teams.snapshot();
      TreeMap<String, TeamRow> rows = new TreeMap<>();
      for (String team : union(held.keySet(), counted.keySet())) {
        TeamStats.Snapshot c = counted.getOrDefault(team, new TeamStats.Snapshot(0, 0, 0, 0));
        long[] h = held.getOrDefault(team, new long[2]);
        rows.put(team, new TeamRow(team, c.hits(), c.misses(), AdminApi.ratio(c.hits(), c.misses()),
            c.uploads(), c.uploadedBytes(), h[0], h[1]));
      }
      long hits = counted.values().stream().mapToLong(TeamStats.Snapshot::hits).sum();
      long misses = counted.values().stream().mapToLong(TeamStats.Snapshot::misses).sum();
      StoreStats durable = safeStats(store);
      Totals totals = new Totals(hits, misses, AdminApi.ratio(hits, misses),
          known(durable.entries()), known(durable.bytes()));
      Json.send(exchange, 200, new Stats(since, totals, tiers, List.copyOf(rows.values())));
    };
  }

  /** {@code POST /admin/stats/reset}: zeroes the admin view (Prometheus counters keep counting). */
  public HttpHandler resetStats() {
    return exchange -> {
      Principal p = AccessGuard.principal(exchange);
      for (ArtifactStore tier : store.tiers()) {
        tierBaseline.put(tier.name(), tierCounts(tier.name()));
      }
      teams.reset();
      since = clock.instant();
      LOG.info("admin stats reset by token '{}'", p.name());
      Json.send(exchange, 200, new ResetResponse(since));
    };
  }

  /** {@code POST /admin/tiers/{tier}/clear}: empties one tier. */
  public HttpHandler clearTier() {
    return exchange -> {
      Principal p = AccessGuard.principal(exchange);
      String name = pathParam(exchange, "tier");
      ArtifactStore tier = store.tiers().stream().filter(t -> t.name().equals(name)).findFirst()
          .orElseThrow(() -> new ApiException(ApiError.notFound("no tier '" + name
              + "'; this server has " + store.tiers().stream().map(ArtifactStore::name).toList())));
      StoreStats before = safeStats(tier);
      try {
        tier.clear();
      } catch (IOException e) {
        throw unavailable("clearing tier " + name, e);
      }
      LOG.info("tier {} cleared by token '{}' ({} entries)", name, p.name(), before.entries());
      Json.send(exchange, 200, new ClearResponse(name, known(before.entries()), known(before.bytes())));
    };
  }

  /** {@code POST /admin/purge}: removes artifacts created longer ago than {@code olderThan}. */
  public HttpHandler purge() {
    return exchange -> {
      // The route's access check admitted an admin token before the body was read.
      Principal p = AccessGuard.principal(exchange);
      PurgeRequest req = Json.read(exchange, PurgeRequest.class);
      if (req.olderThan() == null || req.olderThan().isBlank()) {
        throw ApiException.badRequest("olderThan is required, e.g. {\"olderThan\": \"14d\"}");
      }
      Duration age;
      try {
        age = DurationParser.parse(req.olderThan());
      } catch (IllegalArgumentException | DateTimeParseException e) {
        throw ApiException.badRequest("olderThan: " + e.getMessage());
      }
      if (age.isNegative()) {
        throw ApiException.badRequest("olderThan must not be negative");
      }
      String team = req.team() == null || req.team().isEmpty() ? null : req.team();
      if (team == null) {
        guard.requireGlobalAdmin(exchange);
      } else {
        requireValidTeam(team);
        guard.require(exchange, team, AccessLevel.ADMIN);
      }
      boolean dryRun = Boolean.TRUE.equals(req.dryRun());
      Purge purge;
      try {
        purge = Purge.plan(store, req.olderThan(), clock.instant().minus(age), team);
      } catch (IOException e) {
        throw unavailable("scanning storage", e);
      }
      // Written before anything is deleted: a report that cannot be serialized fails here.
      PurgeResponse planned = purge.report();
      byte[] plannedJson = Json.encode(planned);
      if (dryRun) {
        logPurge(planned, team, p);
        Json.sendEncoded(exchange, 200, plannedJson);
        return;
      }
      PurgeResponse done = purge.execute(store);
      logPurge(done, team, p);
      Json.send(exchange, 200, done);
    };
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
      List<ArtifactEntry> out = new ArrayList<>();
      try {
        store.scan((key, meta) -> {
          if (key.team().equals(team)) {
            out.add(ArtifactEntry.of(key.hash(), meta));
          }
        });
      } catch (IOException e) {
        throw unavailable("scanning storage", e);
      }
      out.sort(java.util.Comparator.comparing(ArtifactEntry::hash));
      Json.send(exchange, 200, new ArtifactList(team, out));
    };
  }

  /**
   * {@code GET /admin/artifacts/{team}/{hash}}: the body with every metadata header, including
   * {@code x-artifact-client-ci} and {@code x-artifact-created-at} (for export). Unlike the turbo
   * route it counts no team hit and no time saved.
   */
  public HttpHandler download() {
    return exchange -> {
      ArtifactKey key = artifactKey(exchange);
      Optional<Artifact> found = store.get(key);
      if (found.isEmpty()) {
        throw new ApiException(ApiError.notFound("artifact " + key + " not found"));
      }
      try (Artifact artifact = found.get()) {
        ArtifactMetadata m = artifact.metadata();
        exchange.setStatusCode(200);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/octet-stream");
        exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, m.size());
        ArtifactHeaders.write(m, exchange.getResponseHeaders());
        if (m.clientCi() != null) {
          exchange.getResponseHeaders().put(ArtifactHeaders.CLIENT_CI, m.clientCi());
        }
        if (m.createdAt() != null) {
          exchange.getResponseHeaders().put(CREATED_AT, m.createdAt().toString());
        }
        try (InputStream in = artifact.body().openStream()) {
          OutputStream out = exchange.getOutputStream();
          in.transferTo(out);
          out.flush();
        }
      }
    };
  }

  /**
   * {@code PUT /admin/artifacts/{team}/{hash}}: stores an artifact with the metadata headers of the
   * turbo route plus {@code x-artifact-created-at} (import keeps the original age, so a later
   * purge treats restored artifacts like the originals).
   */
  public UploadTarget upload() {
    return new UploadTarget() {
      @Override
      public Upload admit(HttpServerExchange exchange) {
        ArtifactKey key = artifactKey(exchange);
        long length = UploadTarget.declaredLength(exchange, maxArtifactSize);
        ArtifactMetadata m = ArtifactHeaders.fromUpload(exchange.getRequestHeaders(), length);
        String created = exchange.getRequestHeaders().getFirst(CREATED_AT);
        if (created != null) {
          try {
            m = new ArtifactMetadata(m.size(), m.durationMs(), m.tag(), m.sha(), m.dirtyHash(),
                m.clientCi(), Instant.parse(created));
          } catch (DateTimeParseException e) {
            throw ApiException.badRequest(AdminApi.CREATED_AT_HEADER + " must be an ISO-8601 instant");
          }
        }
        return new Upload(key, m);
      }

      @Override
      public void store(HttpServerExchange exchange, Upload upload, ArtifactBody body)
          throws IOException {
        store.put(upload.key(), upload.metadata(), body);
        LOG.debug("artifact {} stored through the admin API by token '{}'", upload.key(),
            AccessGuard.principal(exchange).name());
        Json.send(exchange, 201, ArtifactEntry.of(upload.key().hash(), upload.metadata()));
      }
    };
  }

  /** {@code DELETE /admin/artifacts/{team}/{hash}}: removes one artifact from every tier. */
  public HttpHandler delete() {
    return exchange -> {
      ArtifactKey key = artifactKey(exchange);
      Principal p = AccessGuard.principal(exchange);
      boolean deleted;
      try {
        deleted = store.delete(key);
      } catch (IOException e) {
        throw unavailable("deleting " + key, e);
      }
      if (!deleted) {
        throw new ApiException(ApiError.notFound("artifact " + key + " not found"));
      }
      LOG.info("artifact {} deleted by token '{}'", key, p.name());
      Json.send(exchange, 200, new DeleteResponse(key.team(), key.hash(), true));
    };
  }

  // ---------------------------------------------------------------------------------------------

  private long[] tierCounts(String tier) {
    return new long[] {
      count(registry.find("turbocache.tier.lookups").tags("tier", tier, "result", "hit").counter()),
      count(registry.find("turbocache.tier.lookups").tags("tier", tier, "result", "miss").counter()),
      (long) registry.find("turbocache.tier.errors").tag("tier", tier).counters().stream()
          .mapToDouble(Counter::count).sum()
    };
  }

  private static long count(Counter c) {
    return c == null ? 0 : (long) c.count();
  }

  /** team -> {entries, bytes} of what storage holds now. */
  private Map<String, long[]> heldByTeam() {
    Map<String, long[]> held = new TreeMap<>();
    try {
      store.scan((key, meta) -> {
        long[] t = held.computeIfAbsent(key.team(), k -> new long[2]);
        t[0]++;
        t[1] += meta.size();
      });
    } catch (IOException e) {
      throw unavailable("scanning storage", e);
    }
    return held;
  }

  private static StoreStats safeStats(ArtifactStore s) {
    try {
      return s.stats();
    } catch (RuntimeException e) {
      return StoreStats.UNKNOWN;
    }
  }

  private static Long known(long v) {
    return v < 0 ? null : v;
  }

  private static java.util.Set<String> union(java.util.Set<String> a, java.util.Set<String> b) {
    java.util.Set<String> out = new java.util.TreeSet<>(a);
    out.addAll(b);
    return out;
  }

  private static ArtifactKey artifactKey(HttpServerExchange exchange) {
    String team = AccessGuard.team(exchange);
    String hash = pathParam(exchange, "hash");
    if (!ArtifactKey.isValidHash(hash)) {
      throw ApiException.badRequest("invalid artifact hash: expected 1-128 hexadecimal characters");
    }
    return new ArtifactKey(team, hash);
  }

  private static void requireValidTeam(String team) {
    if (!ArtifactKey.isValidTeam(team)) {
      throw ApiException.badRequest(
          "invalid team: use 1-64 letters, digits, '_', '-' or '.', starting with a letter or digit");
    }
  }

  private static String pathParam(HttpServerExchange exchange, String name) {
    PathTemplateMatch match = exchange.getAttachment(PathTemplateMatch.ATTACHMENT_KEY);
    return match == null ? null : match.getParameters().get(name);
  }

  private static ApiException unavailable(String what, Exception e) {
    LOG.warn("admin: {} failed: {}", what, e.toString());
    return new ApiException(new ApiError(503, "storage_unavailable", what + " failed: " + e.getMessage()));
  }
}
