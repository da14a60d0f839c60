package dev.turbocache.server.http;

import dev.turbocache.server.account.AccountHandlers;
import dev.turbocache.server.account.WildcardTeams;
import dev.turbocache.server.admin.AdminHandlers;
import dev.turbocache.server.auth.AccessLevel;
import dev.turbocache.server.auth.Authenticator;
import dev.turbocache.server.auth.TokenSetup;
import dev.turbocache.server.config.ByteSize;
import dev.turbocache.server.config.DataDirectory;
import dev.turbocache.server.config.TurboCacheConfig;
import dev.turbocache.server.health.HealthHandlers;
import dev.turbocache.server.metrics.MetricsHandler;
import dev.turbocache.server.metrics.ServerMetrics;
import dev.turbocache.server.metrics.TeamStats;
import io.micrometer.core.instrument.MeterRegistry;
import dev.turbocache.server.protocol.ArtifactReadHandler;
import dev.turbocache.server.protocol.ArtifactUploadHandler;
import dev.turbocache.server.protocol.BatchQueryHandler;
import dev.turbocache.server.protocol.EventsHandler;
import dev.turbocache.server.protocol.PreflightHandler;
import dev.turbocache.server.protocol.StatusHandler;
import dev.turbocache.server.storage.BodySpooler;
import dev.turbocache.server.storage.StorageFactory;
import dev.turbocache.server.storage.TieredStore;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.HttpContinueReadHandler;
import io.undertow.server.handlers.GracefulShutdownHandler;
import io.undertow.util.Methods;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Xnio;
import org.xnio.XnioWorker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running cache server: storage, auth and the HTTP routes assembled from one config. Tests and
 * the CLI start one with {@link #start(TurboCacheConfig)} and close it when done.
 */
public final class CacheServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CacheServer.class);
  private static final String VERSION = Optional.ofNullable(
      CacheServer.class.getPackage().getImplementationVersion()).orElse("dev");

  private final TurboCacheConfig config;
  private final ServerMetrics metrics;
  private final TieredStore store;
  private final TokenSetup tokens;
  private final TeamStats teamStats;
  private final RouteTable routeTable;
  private final XnioWorker worker;
  private final Undertow undertow;
  private final GracefulShutdownHandler shutdown;
  private final int port;
  private final java.util.concurrent.atomic.AtomicBoolean closed =
      new java.util.concurrent.atomic.AtomicBoolean();

  private CacheServer(TurboCacheConfig config) {
    this.config = config;
    Path dataDir = DataDirectory.resolve(config.server().dataDir());
    this.metrics = new ServerMetrics();
    this.tokens = TokenSetup.start(config.auth(), dataDir, metrics.registry());
    BodySpooler spooler;
    try {
      spooler = StorageFactory.spooler(dataDir, config.server().maxArtifactSize().bytes());
      this.store = StorageFactory.create(config.storage(), dataDir, spooler, metrics.registry());
    } catch (IOException e) {
      tokens.close();
      metrics.close();
      throw new UncheckedIOException("storage could not be opened under " + dataDir, e);
    }
    this.teamStats = new TeamStats(config.metrics().maxTeams(), metrics.registry());

    AccessGuard guard = new AccessGuard(
        new Authenticator(tokens.registry(), config.auth().anonymousRead()));
    ClientAborts aborts = new ClientAborts(metrics.registry());
    ArtifactReadHandler read =
        new ArtifactReadHandler(store, guard, metrics.registry(), teamStats, aborts);
    this.routeTable = routes(guard, read);
    TurboCacheConfig.Server server = config.server();
    RequestGate gate = new RequestGate(guard, spooler,
        new UploadLimits(server.maxConcurrentUploads(), server.maxConcurrentUploadsPerClient(),
            metrics.registry()),
        server.bodyReadTimeout(), aborts, metrics.registry());
    this.shutdown = new GracefulShutdownHandler(
        // HttpContinueReadHandler answers "Expect: 100-continue" (curl -T sends it) when the
        // gate starts reading the body, instead of letting the client wait out its timeout.
        // Routing runs on the I/O thread; the gate decides what reaches a worker thread.
        new RequestMetrics(new HttpContinueReadHandler(read.inFrontOf(routeTable.router(gate))),
            metrics.registry(), config.logging().accessLog()));

    int cores = Runtime.getRuntime().availableProcessors();
    int workers = config.server().workerThreads() > 0 ? config.server().workerThreads() : cores * 8;
    int ioThreads = config.server().ioThreads() > 0 ? config.server().ioThreads() : Math.max(cores, 2);
    try {
      // Our own worker (Undertow would otherwise stop it together with the listener): close()
      // can then close the listening socket first, so new connections are refused, while the
      // requests already in flight finish on this worker.
      this.worker = Xnio.getInstance(Undertow.class.getClassLoader()).createWorker(OptionMap.builder()
          .set(Options.WORKER_IO_THREADS, ioThreads)
          .set(Options.WORKER_TASK_CORE_THREADS, workers)
          .set(Options.WORKER_TASK_MAX_THREADS, workers)
          .set(Options.CONNECTION_HIGH_WATER, 1_000_000)
          .set(Options.CONNECTION_LOW_WATER, 1_000_000)
          .set(Options.TCP_NODELAY, true)
          .set(Options.CORK, true)
          .getMap());
    } catch (IOException e) {
      store.close();
      tokens.close();
      metrics.close();
      throw new UncheckedIOException("could not start the I/O worker", e);
    }
    this.undertow = Undertow.builder()
        .addHttpListener(config.server().port(), config.server().host())
        .setWorker(worker)
        .setServerOption(UndertowOptions.ENABLE_HTTP2, true)
        // From a request's first byte to the end of its headers: a header sent a byte at a time
        // cannot keep a connection open past this.
        .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, millis(server.requestHeaderTimeout()))
        // A connection waiting for its (next) request.
        .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, millis(server.idleTimeout()))
        // A response the client does not read: bounds how long a download can hold a worker.
        .setSocketOption(Options.WRITE_TIMEOUT, millis(server.sendTimeout()))
        .setHandler(shutdown)
        .build();
    undertow.start();
    this.port = ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    LOG.info("listening on {}:{}, data directory {}, tiers {}", config.server().host(), port, dataDir,
        config.storage().tiers());
    checkHeap(config.storage());
  }

  /**
   * Says how large the heap may grow, and warns when the memory tier would take more than half of
   * it: the garbage collector then runs nearly all the time and the server can run out of memory.
   */
  private static void checkHeap(TurboCacheConfig.Storage storage) {
    // Whole MiB: the JVM's maximum is rarely a round number, and this is for reading.
    ByteSize heap = ByteSize.ofBytes(Runtime.getRuntime().maxMemory() >> 20 << 20);
    ByteSize tier = storage.tiers().contains("memory") ? storage.memory().maxSize() : ByteSize.ofBytes(0);
    LOG.info("heap up to {} (-Xmx or -XX:MaxRAMPercentage), memory tier up to {}", heap, tier);
    if (tier.bytes() > heap.bytes() / 2) {
      LOG.warn("storage.memory.maxSize {} is more than half of the heap the JVM may use ({}): "
          + "give the JVM more memory (-XX:MaxRAMPercentage=60 of a container's limit, or -Xmx) or "
          + "lower storage.memory.maxSize", tier, heap);
    }
  }

  public static CacheServer start(TurboCacheConfig config) {
    return new CacheServer(config);
  }

  private static int millis(java.time.Duration d) {
    return Math.toIntExact(d.toMillis());
  }

  /**
   * Every route with who may call it and where it runs: on the I/O thread only what never
   * blocks (so probes answer even when every worker is busy), on a worker what touches storage.
   */
  private RouteTable routes(AccessGuard guard, ArtifactReadHandler read) {
    MeterRegistry registry = metrics.registry();
    Handling preflight = Handling.ioThread(Access.anyone(), new PreflightHandler());
    AccountHandlers account =
        new AccountHandlers(new WildcardTeams(tokens::namedTeams, store), Instant.now());
    HealthHandlers health = new HealthHandlers(store::readyForWrites);
    AdminHandlers admin = new AdminHandlers(store, guard, registry, teamStats,
        config.server().maxArtifactSize(), Clock.systemUTC());
    Access reader = Access.team(AccessLevel.READ);
    Access teamAdmin = Access.pathTeam("team", AccessLevel.ADMIN);
    return new RouteTable()
        .add(Methods.GET, "/v8/artifacts/status", Handling.ioThread(
            Access.teamIfNamed(AccessLevel.READ), new StatusHandler(config.server().status())))
        .add(Methods.GET, "/v8/artifacts/{hash}", Handling.worker(reader, read))
        .add(Methods.HEAD, "/v8/artifacts/{hash}", Handling.worker(reader, read))
        .add(Methods.PUT, "/v8/artifacts/{hash}", Handling.upload(Access.team(AccessLevel.READWRITE),
            new ArtifactUploadHandler(store, config.server().maxArtifactSize(), teamStats)))
        .add(Methods.OPTIONS, "/v8/artifacts/{hash}", preflight)
        .add(Methods.POST, "/v8/artifacts", Handling.jsonBody(reader, new BatchQueryHandler(store)))
        .add(Methods.OPTIONS, "/v8/artifacts", preflight)
        .add(Methods.POST, "/v8/artifacts/events", Handling.jsonBody(reader, new EventsHandler(registry)))
        .add(Methods.OPTIONS, "/v8/artifacts/events", preflight)
        .add(Methods.GET, "/v2/user", Handling.ioThread(Access.anyToken(), account.user()))
        // Lists the teams storage holds, which may ask S3.
        .add(Methods.GET, "/v2/teams", Handling.worker(Access.anyToken(), account.teams()))
        .add(Methods.GET, "/v2/teams/{id}", Handling.ioThread(Access.anyToken(), account.team()))
        .add(Methods.GET, "/healthz/live", Handling.ioThread(Access.anyone(), health.live()))
        // Probes the durable tier.
        .add(Methods.GET, "/healthz/ready", Handling.worker(Access.anyone(), health.ready()))
        .add(Methods.GET, "/metrics", Handling.worker(Access.anyone(), new MetricsHandler(metrics.registry())))
        .add(Methods.GET, "/openapi.json",
            Handling.ioThread(Access.anyone(), new OpenApiHandler(VERSION)))
        .add(Methods.GET, "/admin/stats", Handling.worker(Access.globalAdmin(), admin.stats()))
        .add(Methods.POST, "/admin/stats/reset",
            Handling.worker(Access.globalAdmin(), admin.resetStats()))
        .add(Methods.POST, "/admin/tiers/{tier}/clear",
            Handling.worker(Access.globalAdmin(), admin.clearTier()))
        .add(Methods.POST, "/admin/purge", Handling.jsonBody(Access.admin(), admin.purge()))
        .add(Methods.GET, "/admin/teams/{team}/artifacts",
            Handling.worker(teamAdmin, admin.listArtifacts()))
        .add(Methods.GET, "/admin/artifacts/{team}/{hash}", Handling.worker(teamAdmin, admin.download()))
        .add(Methods.PUT, "/admin/artifacts/{team}/{hash}", Handling.upload(teamAdmin, admin.upload()))
        .add(Methods.DELETE, "/admin/artifacts/{team}/{hash}",
            Handling.worker(teamAdmin, admin.delete()));
  }

  /** Every route this server serves (method and path template), as its router was built. */
  public List<RouteTable.Route> routes() {
    return routeTable.routes();
  }

  /** The server's meter registry (what {@code /metrics} exposes). */
  public MeterRegistry meterRegistry() {
    return metrics.registry();
  }

  /** The bound port (useful when the config asked for port 0). */
  public int port() {
    return port;
  }

  /** {@code http://host:port}, the value for TURBO_API. */
  public String baseUrl() {
    if (config.server().publicUrl() != null) {
      return config.server().publicUrl();
    }
    String host = config.server().host();
    if (host.equals("0.0.0.0") || host.equals("::")) {
      host = "127.0.0.1";
    }
    return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  /** The token generated for a zero-config start, when no tokens file is configured. */
  public Optional<String> generatedToken() {
    return tokens.generatedToken();
  }

  /** The token and team the startup line suggests ({@link TokenSetup#suggestion()}). */
  public Optional<TokenSetup.Suggestion> tokenSuggestion() {
    return tokens.suggestion();
  }

  public TieredStore store() {
    return store;
  }

  /**
   * Stops accepting connections (the listening socket closes: new connections are refused, and
   * new requests on open keep-alive connections get 503), lets in-flight requests finish within
   * {@code server.shutdownGrace}, then stops.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    shutdown.shutdown();
    undertow.stop();
    try {
      if (!shutdown.awaitShutdown(config.server().shutdownGrace().toMillis())) {
        LOG.warn("shutdown grace period {} ran out with requests still in flight",
            config.server().shutdownGrace());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    worker.shutdownNow();
    try {
      worker.awaitTermination(5, TimeUnit.SECONDS);
      // Acknowledged write-back uploads get the same grace period as in-flight requests.
      store.drain(config.server().shutdownGrace());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    store.close();
    tokens.close();
    metrics.close();
  }
}
