package dev.turbocache.server.protocol;

import dev.turbocache.server.artifact.ArtifactKey;
import dev.turbocache.server.artifact.ArtifactMetadata;
import dev.turbocache.server.auth.AccessLevel;
import dev.turbocache.server.http.AccessGuard;
import dev.turbocache.server.http.ApiError;
import dev.turbocache.server.http.ApiException;
import dev.turbocache.server.http.ArtifactHeaders;
import dev.turbocache.server.http.ClientAborts;
import dev.turbocache.server.http.Cors;
import dev.turbocache.server.http.Json;
import dev.turbocache.server.http.JsonTemplate;
import dev.turbocache.server.http.PathParameters;
import dev.turbocache.server.http.RequestId;
import dev.turbocache.server.http.TeamResolver;
import dev.turbocache.server.metrics.TeamStats;
import dev.turbocache.server.storage.Artifact;
import dev.turbocache.server.storage.ArtifactBody;
import dev.turbocache.server.storage.ArtifactStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.undertow.connector.PooledByteBuffer;
import io.undertow.io.AsyncSenderImpl;
import io.undertow.io.IoCallback;
import io.undertow.io.Sender;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.PathTemplateMatch;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;
import org.xnio.channels.Channels;
import org.xnio.channels.StreamSinkChannel;

/**
 * {@code GET} and {@code HEAD /v8/artifacts/{hash}}: 200 with body and metadata headers, or a 404
 * turbo reads as a miss. Bodies go out in the cheapest form their tier offers: heap buffers as
 * they are, files by channel transfer, remote streams by a bounded copy.
 */
public final class ArtifactReadHandler implements HttpHandler {
  private static final int COPY_BUFFER = 64 * 1024;
  private static final String ARTIFACTS = "/v8/artifacts/";

  private static final Logger LOG = LoggerFactory.getLogger(ArtifactReadHandler.class);
  /** Most requests of a cold build are misses: their body is filled in, not serialized. */
  private static final JsonTemplate MISS = new JsonTemplate(hash -> notFound(hash).json());

  private final ArtifactStore store;
  private final AccessGuard guard;
  private final Counter timeSaved;
  private final TeamStats teams;
  private final ClientAborts aborts;

  public ArtifactReadHandler(ArtifactStore store, AccessGuard guard, MeterRegistry registry,
      TeamStats teams, ClientAborts aborts) {
    this.store = store;
    this.guard = guard;
    this.teams = teams;
    this.aborts = aborts;
    this.timeSaved =
        Counter.builder("turbocache.time.saved")
            .baseUnit("seconds")
            .description("Task time of every artifact served: build time the hits saved")
            .register(registry);
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    ArtifactKey key = PathParameters.artifactKey(exchange);
    Cors.actual(exchange);
    if (exchange.getRequestMethod().equals(Methods.HEAD)) {
      head(exchange, key);
    } else {
      get(exchange, key);
    }
  }

  /**
   * Serves a GET that can be answered right here on the I/O thread that parsed it: a hit the
   * memory tier holds, or a miss every tier can tell without blocking (memory and disk). No
   * hand-off to a worker thread and back, which is most of the cost of a small hit or a miss.
   * Returns false, having sent nothing, for anything else (a lower tier's hit, a remote tier, a
   * bad hash, an auth failure, a JWT not yet verified), which the blocking chain then handles in
   * full, errors included.
   */
  boolean serveWithoutBlocking(HttpServerExchange exchange) {
    String path = exchange.getRelativePath();
    // A request that carries a body goes through the request gate, which deals with it.
    if (!path.startsWith(ARTIFACTS) || !exchange.isRequestComplete()) {
      return false;
    }
    String hash = path.substring(ARTIFACTS.length());
    if (!ArtifactKey.isValidHash(hash)) {
      return false;
    }
    ArtifactKey key;
    try {
      String team = TeamResolver.require(exchange);
      guard.require(exchange, team, AccessLevel.READ);
      key = new ArtifactKey(team, hash);
    } catch (RuntimeException e) {
      // The blocking chain runs the same checks and reports the failure; a token that must wait to
      // be checked (AccessGuard.CheckOffIoThread) is checked there, off this thread.
      return false;
    }
    Optional<Artifact> hit = store.getWithoutBlocking(key);
    if (hit.isPresent() && hit.get().body() instanceof ArtifactBody.Bytes bytes) {
      routed(exchange);
      teams.hit(key.team());
      ArtifactMetadata metadata = hit.get().metadata();
      Cors.actual(exchange);
      writeHeaders(exchange, metadata);
      exchange.getResponseSender().send(bytes.buffer());
      saved(metadata);
      return true;
    }
    if (hit.isEmpty() && store.absentWithoutBlocking(key)) {
      routed(exchange);
      teams.miss(key.team());
      Cors.actual(exchange);
      Json.sendEncoded(exchange, 404, MISS.fill(hash));
      return true;
    }
    return false;
  }

  /** The 404 turbo reads as a miss. */
  private static ApiError notFound(String hash) {
    return ApiError.notFound("artifact " + hash + " not found");
  }

  /**
   * What routing would have attached, for the access log and request metrics, which label by
   * route. One shared match without the hash parameter: the answer is already on its way, and
   * what reads the match afterwards asks only for the template and the team.
   */
  private static final PathTemplateMatch ROUTE = new PathTemplateMatch(ARTIFACTS + "{hash}", Map.of());

  private static void routed(HttpServerExchange exchange) {
    exchange.putAttachment(PathTemplateMatch.ATTACHMENT_KEY, ROUTE);
  }

  /** The I/O-thread shortcut for memory hits and misses in front of {@code blocking}, the full chain. */
  public HttpHandler inFrontOf(HttpHandler blocking) {
    return exchange -> {
      if (exchange.isInIoThread()
          && exchange.getRequestMethod().equals(Methods.GET)
          && serveWithoutBlocking(exchange)) {
        return;
      }
      blocking.handleRequest(exchange);
    };
  }

  private void saved(ArtifactMetadata metadata) {
    if (metadata.durationMs() != null) {
      timeSaved.increment(metadata.durationMs() / 1000.0);
    }
  }

  private void head(HttpServerExchange exchange, ArtifactKey key) throws IOException {
    Optional<ArtifactMetadata> meta = store.head(key);
    if (meta.isEmpty()) {
      exchange.setStatusCode(404);
      exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, 0);
      return;
    }
    writeHeaders(exchange, meta.get());
  }

  private void get(HttpServerExchange exchange, ArtifactKey key) throws IOException {
    Optional<Artifact> hit = store.get(key);
    if (hit.isEmpty()) {
      teams.miss(key.team());
      throw new ApiException(notFound(key.hash()));
    }
    teams.hit(key.team());
    Artifact artifact = hit.get();
    boolean handedOver = false;
    try {
      writeHeaders(exchange, artifact.metadata());
      saved(artifact.metadata());
      handedOver = sendBody(exchange, artifact);
    } finally {
      if (!handedOver) {
        artifact.close();
      }
    }
  }

  private static void writeHeaders(HttpServerExchange exchange, ArtifactMetadata meta) {
    exchange.setStatusCode(200);
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/octet-stream");
    exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, meta.size());
    ArtifactHeaders.write(meta, exchange.getResponseHeaders(), ArtifactHeaders.TURBO_DOWNLOAD);
  }

  /**
   * Sends the body in the cheapest form its tier gave it. Heap bodies and whole-file regions go
   * out without blocking: what the socket takes now is written at once and the rest whenever the
   * client reads on (Undertow runs each file transfer step on a worker, but none waits for the
   * socket), so a client that reads slowly or not at all holds no worker thread; the connection
   * closes after {@code server.sendTimeout} without progress. Returns true when the artifact is
   * now owned by such a send, which closes it when the exchange ends.
   */
  private boolean sendBody(HttpServerExchange exchange, Artifact artifact) throws IOException {
    switch (artifact.body()) {
      case ArtifactBody.Bytes bytes -> {
        new AsyncSenderImpl(exchange).send(bytes.buffer(), new Sending(exchange, artifact));
        return true;
      }
      case ArtifactBody.FileRegion region
          when region.offset() + region.length() == region.channel().size() -> {
        // Undertow sends from the channel's position to its end: exactly the region.
        region.channel().position(region.offset());
        new AsyncSenderImpl(exchange).transferFrom(region.channel(), new Sending(exchange, artifact));
        return true;
      }
      case ArtifactBody.FileRegion region -> {
        StreamSinkChannel channel = exchange.getResponseChannel();
        copyThroughBuffer(exchange, region, channel);
        channel.shutdownWrites();
        Channels.flushBlocking(channel);
        return false;
      }
      case ArtifactBody.Streamed streamed -> {
        copy(exchange, streamed);
        return false;
      }
    }
  }

  /**
   * One send that does not block. The artifact is closed when the exchange ends, whichever way:
   * a connection closed under it (the send timeout, a reset) ends the exchange without calling
   * back, and that is a client gone too.
   */
  private final class Sending implements IoCallback {
    private final Artifact artifact;
    private volatile boolean finished;

    Sending(HttpServerExchange exchange, Artifact artifact) {
      this.artifact = artifact;
      exchange.addExchangeCompleteListener((ex, next) -> {
        closeQuietly(artifact);
        if (!finished) {
          aborts.count(ex, ClientAborts.Phase.SEND, ClientAborts.Reason.CLOSED, null);
        }
        next.proceed();
      });
    }

    @Override
    public void onComplete(HttpServerExchange exchange, Sender sender) {
      finished = true;
      IoCallback.END_EXCHANGE.onComplete(exchange, sender);
    }

    @Override
    public void onException(HttpServerExchange exchange, Sender sender, IOException e) {
      finished = true;
      if (ClientAborts.isClientGone(exchange, e)) {
        aborts.count(exchange, ClientAborts.Phase.SEND, ClientAborts.Reason.CLOSED, e);
      } else {
        LOG.warn("sending {} failed (request id {}): {}", exchange.getRequestPath(),
            RequestId.of(exchange), e.toString());
      }
      exchange.setPersistent(false);
      IoUtils.safeClose(exchange.getConnection());
      exchange.endExchange();
    }
  }

  private static void closeQuietly(Artifact artifact) {
    try {
      artifact.close();
    } catch (IOException e) {
      LOG.debug("closing a served artifact failed: {}", e.toString());
    }
  }

  private static void copyThroughBuffer(
      HttpServerExchange exchange, ArtifactBody.FileRegion region, StreamSinkChannel channel)
      throws IOException {
    try (PooledByteBuffer pooled = exchange.getConnection().getByteBufferPool().allocate()) {
      ByteBuffer buffer = pooled.getBuffer();
      long position = region.offset();
      long end = region.offset() + region.length();
      while (position < end) {
        buffer.clear();
        if (buffer.remaining() > end - position) {
          buffer.limit((int) (end - position));
        }
        int read = region.channel().read(buffer, position);
        if (read < 0) {
          throw new IOException("artifact file is shorter than its recorded size");
        }
        position += read;
        buffer.flip();
        Channels.writeBlocking(channel, buffer);
      }
    }
  }

  /** A one-shot stream (a remote tier's hit no tier above keeps) is copied as it is read. */
  private static void copy(HttpServerExchange exchange, ArtifactBody body) throws IOException {
    try (InputStream in = body.openStream()) {
      OutputStream out = exchange.getOutputStream();
      byte[] buffer = new byte[COPY_BUFFER];
      long remaining = body.size();
      while (remaining > 0) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
        if (n < 0) {
          throw new IOException("artifact body ended early");
        }
        out.write(buffer, 0, n);
        remaining -= n;
      }
      out.flush();
    }
  }
}
