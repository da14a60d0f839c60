package dev.turbocache.server.app;

import dev.turbocache.server.auth.Authenticator;
import dev.turbocache.server.auth.TokenSetup;
import dev.turbocache.server.auth.TokenVerifier;
import dev.turbocache.server.auth.jwt.JwtSetup;
import dev.turbocache.server.config.ByteSize;
import dev.turbocache.server.config.DataDirectory;
import dev.turbocache.server.config.TierType;
import dev.turbocache.server.config.TurboCacheConfig;
import dev.turbocache.server.http.AccessGuard;
import dev.turbocache.server.http.ClientAborts;
import dev.turbocache.server.http.RequestGate;
import dev.turbocache.server.http.RequestMetrics;
import dev.turbocache.server.http.RouteTable;
import dev.turbocache.server.http.StorageErrors;
import dev.turbocache.server.http.UploadLimits;
import dev.turbocache.server.metrics.ServerMetrics;
import dev.turbocache.server.metrics.TeamStats;
import dev.turbocache.server.protocol.ArtifactReadHandler;
import dev.turbocache.server.storage.BodySpooler;
import dev.turbocache.server.storage.Storage;
import dev.turbocache.server.storage.StorageFactory;
import dev.turbocache.server.storage.TieredStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.GracefulShutdownHandler;
import io.undertow.server.handlers.HttpContinueReadHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Xnio;
import org.xnio.XnioWorker;

/**
 * A running cache server, assembled from one config: metrics, auth and storage, the HTTP chain in
 * front of the routes ({@link ServerRoutes}), the threads and the listeners (the clients' port,
 * and {@code server.managementPort} when set). Tests and the CLI start one with {@link
 * #start(TurboCacheConfig)} and close it when done. A start that fails part way (a port already
 * taken) closes what it had opened before it throws.
 */
public final class CacheServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CacheServer.class);
  private static final String VERSION = Optional.ofNullable(
      CacheServer.class.getPackage().getImplementationVersion()).orElse("dev");

  private final TurboCacheConfig config;
  private final ServerMetrics metrics;
  private final Storage storage;
  private final TokenSetup tokens;
  /** Null without JWT issuers. */
  private final JwtSetup jwt;
  private final RouteTable routeTable;
  private final XnioWorker worker;
  private final HttpListener listener;
  private final GracefulShutdownHandler shutdown;
  private final int port;
  /** The listener of {@code server.managementPort}, null without one. */
  private final HttpListener management;
  private final int managementPort;
  private final AtomicBoolean closed = new AtomicBoolean();

  private CacheServer(TurboCacheConfig config) {
    this.config = config;
    TurboCacheConfig.Server server = config.server();
    Path dataDir = dataDirectory(server);
    ServerThreads threads = ServerThreads.of(server, Runtime.getRuntime().availableProcessors());
    Deque<AutoCloseable> opened = new ArrayDeque<>();
    try {
      this.metrics = opened(opened, new ServerMetrics());
      MeterRegistry registry = metrics.registry();
      this.tokens = opened(opened, TokenSetup.start(config.auth(), dataDir, registry));
      BodySpooler spooler = StorageFactory.spooler(dataDir, server.maxArtifactSize().bytes());
      this.storage = opened(opened, StorageFactory.create(config.storage(), dataDir, spooler, registry));
      TeamStats teamStats = new TeamStats(config.metrics().maxTeams(), registry);

      this.jwt = JwtAuthentication.start(config, dataDir, registry, threads);
      if (jwt != null) {
        opened.push(jwt);
      }
      Authenticator authenticator = new Authenticator(tokens.registry(),
          config.auth().anonymousRead(), jwt == null ? TokenVerifier.NONE : jwt.authenticator());
      // Without JWT issuers no check waits, so nothing is ever sent to the guard's executor.
      AccessGuard guard = new AccessGuard(authenticator, jwt == null ? Runnable::run : jwt.verifications());
      ClientAborts aborts = new ClientAborts(registry);
      ArtifactReadHandler read =
          new ArtifactReadHandler(storage.store(), guard, registry, teamStats, aborts);
      ServerRoutes.Parts parts = new ServerRoutes.Parts(
          config, storage, tokens, jwt, guard, read, teamStats, metrics.registry(), VERSION);
      this.routeTable = ServerRoutes.of(parts);
      RequestGate gate = new RequestGate(guard, spooler,
          new UploadLimits(server.maxConcurrentUploads(), server.maxConcurrentUploadsPerClient(),
              registry),
          server.bodyReadTimeout(), aborts, new StorageErrors(registry), registry);
      this.shutdown = new GracefulShutdownHandler(
          // HttpContinueReadHandler answers "Expect: 100-continue" (curl -T sends it) when the
          // gate starts reading the body, instead of letting the client wait out its timeout.
          // Routing runs on the I/O thread; the gate decides what reaches a worker thread.
          new RequestMetrics(new HttpContinueReadHandler(read.inFrontOf(routeTable.router(gate))),
              registry, config.logging().accessLog()));
      this.worker = worker(threads);
      opened.push(worker::shutdownNow);
      this.listener = listen(opened, server, "server.port", server.port(), worker, shutdown);
      this.port = listener.port();
      if (server.hasManagementPort()) {
        // Not behind RequestMetrics: scrapes and probes are neither counted nor logged as traffic.
        this.management = listen(opened, server, "server.managementPort", server.managementPort(),
            worker, ServerRoutes.management(parts).router(gate));
        this.managementPort = management.port();
      } else {
        this.management = null;
        this.managementPort = port;
      }
    } catch (IOException e) {
      closeAll(opened, e);
      throw ServerStartException.of("the server could not start (data directory " + dataDir + ")", e);
    } catch (UncheckedIOException e) {
      // A file of the configuration (the generated token, revocations) cannot be read or written.
      closeAll(opened, e);
      throw ServerStartException.of(e.getMessage(), e);
    } catch (RuntimeException | Error e) {
      closeAll(opened, e);
      throw e;
    }
    LOG.info("listening on {}:{} ({}), data directory {}, tiers {}, {}", server.host(), port,
        management == null ? "with /metrics" : "/metrics and probes on management port " + managementPort,
        dataDir, config.storage().tiers(), threads);
    checkHeap(config.storage());
  }

  private static Path dataDirectory(TurboCacheConfig.Server server) {
    try {
      return DataDirectory.resolve(server.dataDir());
    } catch (UncheckedIOException e) {
      throw ServerStartException.of(e.getMessage() + " (server.dataDir)", e);
    }
  }

  private static <T extends AutoCloseable> T opened(Deque<AutoCloseable> opened, T resource) {
    opened.push(resource);
    return resource;
  }

  /**
   * A listener on {@code port} (the value of {@code setting}) serving {@code handler}, started:
   * its port is bound. A port that cannot be bound fails the start with a message naming it.
   */
  private static HttpListener listen(Deque<AutoCloseable> opened, TurboCacheConfig.Server server,
      String setting, int port, XnioWorker worker, HttpHandler handler) {
    HttpListener listener;
    try {
      listener = HttpListener.open(server, port, worker, handler);
    } catch (IOException e) {
      throw new PortUnavailableException(setting, server.host(), port, e);
    }
    opened.push(listener);
    return listener;
  }

  /** Closes what a failed start had opened, newest first; their own failures ride along. */
  private static void closeAll(Deque<AutoCloseable> opened, Throwable failure) {
    for (AutoCloseable resource : opened) {
      try {
        resource.close();
      } catch (Exception e) {
        failure.addSuppressed(e);
      }
    }
  }

  /**
   * The threads of both listeners. close() closes the listening sockets first, so new connections
   * are refused, while the requests already in flight finish on this worker.
   */
  private static XnioWorker worker(ServerThreads threads) throws IOException {
    return Xnio.getInstance(Undertow.class.getClassLoader()).createWorker(OptionMap.builder()
        .set(Options.WORKER_IO_THREADS, threads.io())
        .set(Options.WORKER_TASK_CORE_THREADS, threads.workers())
        .set(Options.WORKER_TASK_MAX_THREADS, threads.workers())
        .set(Options.CONNECTION_HIGH_WATER, 1_000_000)
        .set(Options.CONNECTION_LOW_WATER, 1_000_000)
        .set(Options.TCP_NODELAY, true)
        .set(Options.CORK, true)
        .getMap());
  }

  /**
   * Says how large the heap may grow, and warns when the memory tier would take more than half of
   * it: the garbage collector then runs nearly all the time and the server can run out of memory.
   */
  private static void checkHeap(TurboCacheConfig.Storage storage) {
    // Whole MiB: the JVM's maximum is rarely a round number, and this is for reading.
    ByteSize heap = ByteSize.ofBytes(Runtime.getRuntime().maxMemory() >> 20 << 20);
    ByteSize tier = storage.tierTypes().contains(TierType.MEMORY)
        ? storage.memory().maxSize()
        : ByteSize.ofBytes(0);
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

  /**
   * The bound port of {@code /metrics} and the probes: that of {@code server.managementPort}, or
   * {@link #port()} without one.
   */
  public int managementPort() {
    return managementPort;
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
    return storage.store();
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
    listener.close();
    if (management != null) {
      management.close();
    }
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
      storage.store().drain(config.server().shutdownGrace());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    storage.close();
    if (jwt != null) {
      jwt.close();
    }
    tokens.close();
    metrics.close();
  }
}
