package dev.turbocache.server.http;

import dev.turbocache.server.account.AccountHandlers;
import dev.turbocache.server.auth.Authenticator;
import dev.turbocache.server.auth.TokenSetup;
import dev.turbocache.server.config.DataDirectory;
import dev.turbocache.server.config.TurboCacheConfig;
import dev.turbocache.server.health.HealthHandlers;
import dev.turbocache.server.metrics.MetricsHandler;
import dev.turbocache.server.metrics.ServerMetrics;
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
import io.undertow.server.RoutingHandler;
import io.undertow.server.handlers.BlockingHandler;
import io.undertow.server.handlers.GracefulShutdownHandler;
import io.undertow.util.Methods;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running cache server: storage, auth and the HTTP routes assembled from one config. Tests and
 * the CLI start one with {@link #start(TurboCacheConfig)} and close it when done.
 */
public final class CacheServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CacheServer.class);

  private final TurboCacheConfig config;
  private final ServerMetrics metrics;
  private final TieredStore store;
  private final TokenSetup tokens;
  private final Undertow undertow;
  private final GracefulShutdownHandler shutdown;
  private final int port;

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

    AccessGuard guard = new AccessGuard(
        new Authenticator(tokens.registry(), config.auth().anonymousRead()));
    this.shutdown = new GracefulShutdownHandler(
        new RequestMetrics(new BlockingHandler(new ErrorBoundary(
            routes(guard, spooler))), metrics.registry()));

    int workers = config.server().workerThreads() > 0
        ? config.server().workerThreads()
        : Runtime.getRuntime().availableProcessors() * 8;
    Undertow.Builder builder = Undertow.builder()
        .addHttpListener(config.server().port(), config.server().host())
        .setWorkerThreads(workers)
        .setServerOption(UndertowOptions.ENABLE_HTTP2, true)
        .setHandler(shutdown);
    if (config.server().ioThreads() > 0) {
      builder.setIoThreads(config.server().ioThreads());
    }
    this.undertow = builder.build();
    undertow.start();
    this.port = ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    LOG.info("listening on {}:{}, data directory {}, tiers {}", config.server().host(), port, dataDir,
        config.storage().tiers());
  }

  public static CacheServer start(TurboCacheConfig config) {
    return new CacheServer(config);
  }

  private HttpHandler routes(AccessGuard guard, BodySpooler spooler) {
    ArtifactReadHandler read = new ArtifactReadHandler(store, guard, metrics.registry());
    PreflightHandler preflight = new PreflightHandler();
    AccountHandlers account = new AccountHandlers(guard, tokens::namedTeams, Instant.now());
    HealthHandlers health = new HealthHandlers(store::readyForWrites);
    return new RoutingHandler()
        .get("/v8/artifacts/status", new StatusHandler(guard, config.server().status()))
        .get("/v8/artifacts/{hash}", read)
        .add(Methods.HEAD, "/v8/artifacts/{hash}", read)
        .put("/v8/artifacts/{hash}", new ArtifactUploadHandler(store, spooler, guard,
            config.server().maxArtifactSize()))
        .add(Methods.OPTIONS, "/v8/artifacts/{hash}", preflight)
        .post("/v8/artifacts", new BatchQueryHandler(store, guard))
        .add(Methods.OPTIONS, "/v8/artifacts", preflight)
        .post("/v8/artifacts/events", new EventsHandler(guard, metrics.registry()))
        .add(Methods.OPTIONS, "/v8/artifacts/events", preflight)
        .get("/v2/user", account.user())
        .get("/v2/teams", account.teams())
        .get("/v2/teams/{id}", account.team())
        .get("/healthz/live", health.live())
        .get("/healthz/ready", health.ready())
        .get("/metrics", new MetricsHandler(metrics.registry()))
        .setFallbackHandler(ex -> new ApiError(404, "not_found", "no such route: " + ex.getRequestPath()).send(ex))
        .setInvalidMethodHandler(ex -> new ApiError(405, "method_not_allowed",
            ex.getRequestMethod() + " is not allowed on " + ex.getRequestPath()).send(ex));
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

  public TieredStore store() {
    return store;
  }

  /** Stops accepting requests, lets in-flight ones finish within the grace period, then stops. */
  @Override
  public void close() {
    shutdown.shutdown();
    try {
      if (!shutdown.awaitShutdown(config.server().shutdownGrace().toMillis())) {
        LOG.warn("shutdown grace period {} ran out with requests still in flight",
            config.server().shutdownGrace());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    undertow.stop();
    try {
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
