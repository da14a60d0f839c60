package dev.turbocache.server.app;

import dev.turbocache.server.account.AccountHandlers;
import dev.turbocache.server.account.WildcardTeams;
import dev.turbocache.server.admin.AdminHandlers;
import dev.turbocache.server.admin.TokenRevocation;
import dev.turbocache.server.auth.AccessLevel;
import dev.turbocache.server.auth.TokenSetup;
import dev.turbocache.server.auth.jwt.JwtSetup;
import dev.turbocache.server.config.TurboCacheConfig;
import dev.turbocache.server.health.HealthHandlers;
import dev.turbocache.server.http.Access;
import dev.turbocache.server.http.AccessGuard;
import dev.turbocache.server.http.ArtifactHeaders;
import dev.turbocache.server.http.Handling;
import dev.turbocache.server.http.OpenApiHandler;
import dev.turbocache.server.http.RouteTable;
import dev.turbocache.server.http.UploadTarget;
import dev.turbocache.server.metrics.MetricsHandler;
import dev.turbocache.server.metrics.TeamStats;
import dev.turbocache.server.protocol.ArtifactReadHandler;
import dev.turbocache.server.protocol.ArtifactUploadHandler;
import dev.turbocache.server.protocol.BatchQueryHandler;
import dev.turbocache.server.protocol.EventsHandler;
import dev.turbocache.server.protocol.PreflightHandler;
import dev.turbocache.server.protocol.StatusHandler;
import dev.turbocache.server.storage.Storage;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.undertow.util.Methods;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Every route the server serves, with who may call it and where it runs: on the I/O thread only
 * what never blocks (so probes answer even when every worker is busy), on a worker what touches
 * storage. A new route is one line here, plus its entry in {@code openapi.yaml}. With {@code
 * server.managementPort} set, {@code /metrics} moves to that port ({@link #management}); the
 * probes answer on both.
 */
final class ServerRoutes {
  private ServerRoutes() {}

  /** What the routes are built from. */
  record Parts(TurboCacheConfig config, Storage storage, TokenSetup tokens, JwtSetup jwt, AccessGuard guard,
      ArtifactReadHandler read, TeamStats teamStats, PrometheusMeterRegistry registry,
      String version) {}

  static RouteTable of(Parts p) {
    TurboCacheConfig.Server server = p.config().server();
    Handling preflight = Handling.ioThread(Access.anyone(), new PreflightHandler());
    AccountHandlers account = new AccountHandlers(
        new WildcardTeams(p.tokens()::namedTeams, p.storage().store()), Instant.now());
    AdminHandlers admin =
        new AdminHandlers(p.storage(), p.guard(), p.teamStats(), Clock.systemUTC());
    Access reader = Access.team(AccessLevel.READ);
    Access teamAdmin = Access.pathTeam("team", AccessLevel.ADMIN);
    RouteTable table = new RouteTable()
        .add(Methods.GET, "/v8/artifacts/status", Handling.ioThread(
            Access.teamIfNamed(AccessLevel.READ), new StatusHandler(server.cacheStatus())))
        .add(Methods.GET, "/v8/artifacts/{hash}", Handling.worker(reader, p.read()))
        .add(Methods.HEAD, "/v8/artifacts/{hash}", Handling.worker(reader, p.read()))
        .add(Methods.PUT, "/v8/artifacts/{hash}", Handling.upload(Access.team(AccessLevel.READWRITE),
            new UploadTarget(p.storage().store(), server.maxArtifactSize(),
                ArtifactHeaders.TURBO_UPLOAD, new ArtifactUploadHandler(p.teamStats()))))
        .add(Methods.OPTIONS, "/v8/artifacts/{hash}", preflight)
        .add(Methods.POST, "/v8/artifacts",
            Handling.jsonBody(reader, new BatchQueryHandler(p.storage().store())))
        .add(Methods.OPTIONS, "/v8/artifacts", preflight)
        .add(Methods.POST, "/v8/artifacts/events",
            Handling.jsonBody(reader, new EventsHandler(p.registry())))
        .add(Methods.OPTIONS, "/v8/artifacts/events", preflight)
        .add(Methods.GET, "/v2/user", Handling.ioThread(Access.anyToken(), account.user()))
        // Lists the teams storage holds, which may ask S3.
        .add(Methods.GET, "/v2/teams", Handling.worker(Access.anyToken(), account.teams()))
        .add(Methods.GET, "/v2/teams/{id}", Handling.ioThread(Access.anyToken(), account.team()));
    probes(table, p);
    if (!server.hasManagementPort()) {
      metrics(table, p);
    }
    return table
        .add(Methods.GET, "/openapi.json",
            Handling.ioThread(Access.anyone(), new OpenApiHandler(p.version())))
        .add(Methods.GET, "/admin/stats", Handling.worker(Access.globalAdmin(), admin.stats()))
        .add(Methods.POST, "/admin/stats/reset",
            Handling.worker(Access.globalAdmin(), admin.resetStats()))
        .add(Methods.POST, "/admin/tiers/{tier}/clear",
            Handling.worker(Access.globalAdmin(), admin.clearTier()))
        .add(Methods.POST, "/admin/purge", Handling.jsonBody(Access.admin(), admin.purge()))
        .add(Methods.POST, "/admin/tokens/revoke",
            Handling.jsonBody(Access.globalAdmin(), new TokenRevocation(p.jwt()).revoke()))
        .add(Methods.GET, "/admin/teams/{team}/artifacts",
            Handling.worker(teamAdmin, admin.listArtifacts()))
        .add(Methods.GET, "/admin/artifacts/{team}/{hash}", Handling.worker(teamAdmin, admin.download()))
        .add(Methods.PUT, "/admin/artifacts/{team}/{hash}", Handling.upload(teamAdmin,
            new UploadTarget(p.storage().store(), server.maxArtifactSize(), ArtifactHeaders.ALL,
                admin.imported())))
        .add(Methods.DELETE, "/admin/artifacts/{team}/{hash}",
            Handling.worker(teamAdmin, admin.delete()));
  }

  /**
   * The routes of {@code server.managementPort}: {@code /metrics} and the probes, nothing else.
   * The team names in {@code /metrics} stay off the port clients (and an Ingress) reach.
   */
  static RouteTable management(Parts p) {
    return metrics(probes(new RouteTable(), p), p);
  }

  private static RouteTable probes(RouteTable table, Parts p) {
    HealthHandlers health = new HealthHandlers(p.storage().store()::readyForWrites,
        p.jwt() == null ? List.of() : p.jwt().issuers());
    return table
        .add(Methods.GET, "/healthz/live", Handling.ioThread(Access.anyone(), health.live()))
        // Probes the durable tier.
        .add(Methods.GET, "/healthz/ready", Handling.worker(Access.anyone(), health.ready()));
  }

  private static RouteTable metrics(RouteTable table, Parts p) {
    return table.add(Methods.GET, "/metrics",
        Handling.worker(Access.anyone(), new MetricsHandler(p.registry())));
  }
}
