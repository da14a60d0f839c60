package dev.turbocache.server.protocol;

import dev.turbocache.server.artifact.ArtifactKey;
import dev.turbocache.server.config.ByteSize;
import dev.turbocache.server.http.ArtifactHeaders;
import dev.turbocache.server.http.Cors;
import dev.turbocache.server.http.Json;
import dev.turbocache.server.http.PathParameters;
import dev.turbocache.server.http.UploadTarget;
import dev.turbocache.server.metrics.TeamStats;
import dev.turbocache.server.storage.ArtifactBody;
import dev.turbocache.server.storage.ArtifactStore;
import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import java.util.List;

/**
 * {@code PUT /v8/artifacts/{hash}}. The request gate spools the body first (heap for small, a
 * temp file for large, so heap use never follows artifact size) and only then is it handed to
 * storage: an upload that breaks off never becomes visible, and a reader never sees a partial
 * body.
 */
public final class ArtifactUploadHandler implements UploadTarget {
  private final ArtifactStore store;
  private final ByteSize maxArtifactSize;
  private final TeamStats teams;

  public ArtifactUploadHandler(ArtifactStore store, ByteSize maxArtifactSize, TeamStats teams) {
    this.teams = teams;
    this.store = store;
    this.maxArtifactSize = maxArtifactSize;
  }

  @Override
  public Upload admit(HttpServerExchange exchange) {
    return Upload.declared(exchange, PathParameters.artifactKey(exchange), maxArtifactSize,
        ArtifactHeaders.TURBO_UPLOAD);
  }

  @Override
  public void store(HttpServerExchange exchange, Upload upload, ArtifactBody body)
      throws IOException {
    ArtifactKey key = upload.key();
    store.put(key, upload.metadata(), body);
    teams.uploaded(key.team(), body.size());
    Cors.actual(exchange);
    Json.sendFromIoThread(exchange, 202, new UploadResponse(List.of(key.team() + "/" + key.hash())));
  }

  record UploadResponse(List<String> urls) {}
}
