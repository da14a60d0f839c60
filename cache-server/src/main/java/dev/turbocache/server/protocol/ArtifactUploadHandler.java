package dev.turbocache.server.protocol;

import dev.turbocache.server.auth.AccessLevel;
import dev.turbocache.server.config.ByteSize;
import dev.turbocache.server.http.AccessGuard;
import dev.turbocache.server.http.ApiError;
import dev.turbocache.server.http.ApiException;
import dev.turbocache.server.http.ContentLength;
import dev.turbocache.server.http.Cors;
import dev.turbocache.server.http.Json;
import dev.turbocache.server.http.RequestBody;
import dev.turbocache.server.metrics.TeamStats;
import dev.turbocache.server.storage.ArtifactBody;
import dev.turbocache.server.storage.ArtifactKey;
import dev.turbocache.server.storage.ArtifactMetadata;
import dev.turbocache.server.storage.ArtifactStore;
import dev.turbocache.server.storage.ArtifactTooLargeException;
import dev.turbocache.server.storage.BodySpooler;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code PUT /v8/artifacts/{hash}}. The body is spooled (heap for small, a temp file for large, so
 * heap use never follows artifact size) and only then handed to storage: an upload that breaks off
 * never becomes visible, and a reader never sees a partial body.
 */
public final class ArtifactUploadHandler implements HttpHandler {
  private static final Logger LOG = LoggerFactory.getLogger(ArtifactUploadHandler.class);

  private static final long DISCARD_LIMIT = 1 << 20;

  private final ArtifactStore store;
  private final BodySpooler spooler;
  private final AccessGuard guard;
  private final ByteSize maxArtifactSize;
  private final TeamStats teams;

  public ArtifactUploadHandler(ArtifactStore store, BodySpooler spooler, AccessGuard guard,
      ByteSize maxArtifactSize, TeamStats teams) {
    this.teams = teams;
    this.store = store;
    this.spooler = spooler;
    this.guard = guard;
    this.maxArtifactSize = maxArtifactSize;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    String hash = ArtifactPath.hash(exchange);
    String team = TeamResolver.require(exchange);
    guard.require(exchange, team, AccessLevel.READWRITE);
    long length = declaredLength(exchange);
    ArtifactMetadata metadata = ArtifactHeaders.fromUpload(exchange.getRequestHeaders(), length);
    ArtifactKey key = new ArtifactKey(team, hash);

    try (ArtifactBody body = receive(exchange, length)) {
      store.put(key, metadata, body);
      teams.uploaded(team, length);
    } catch (ArtifactTooLargeException e) {
      throw new ApiException(new ApiError(413, "artifact_too_large", e.getMessage()));
    } catch (IOException e) {
      LOG.warn("storing {} failed: {}", key, e.toString());
      throw new ApiException(
          new ApiError(503, "storage_unavailable", "the artifact could not be stored; try again later"));
    }
    Cors.actual(exchange);
    Json.sendFromIoThread(exchange, 202, new UploadResponse(List.of(team + "/" + hash)));
  }

  /** Reads the whole upload; a broken or short upload is the client's failure, not storage's. */
  private ArtifactBody receive(HttpServerExchange exchange, long length) {
    try {
      return spooler.spool(RequestBody.channel(exchange), length);
    } catch (IOException e) {
      exchange.setPersistent(false);
      throw ApiException.badRequest("upload incomplete: " + e.getMessage());
    }
  }

  /**
   * Reads and drops up to 1 MiB of a body we refuse: closing a socket with unread input resets
   * the connection, and the client might never see the error that explains the refusal.
   */
  private static void discardSmallBody(HttpServerExchange exchange) {
    exchange.setPersistent(false);
    try (InputStream in = exchange.getInputStream()) {
      byte[] buffer = new byte[8192];
      long total = 0;
      int n;
      while (total < DISCARD_LIMIT && (n = in.read(buffer)) > 0) {
        total += n;
      }
    } catch (IOException | RuntimeException e) {
      // The refusal is sent either way.
    }
  }

  private long declaredLength(HttpServerExchange exchange) {
    long length = ContentLength.of(exchange);
    if (length == ContentLength.ABSENT) {
      discardSmallBody(exchange);
      throw new ApiException(new ApiError(411, "length_required",
          "Content-Length is required: uploads must declare their size"));
    }
    if (length > maxArtifactSize.bytes()) {
      // Refuse before reading a byte; the connection closes so the unread body is not parsed.
      exchange.setPersistent(false);
      throw new ApiException(new ApiError(413, "artifact_too_large",
          "artifact is " + length + " bytes; this server accepts at most " + maxArtifactSize
              + " (server.maxArtifactSize)"));
    }
    return length;
  }

  record UploadResponse(List<String> urls) {}
}
