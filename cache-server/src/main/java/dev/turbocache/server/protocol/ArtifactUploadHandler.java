package dev.turbocache.server.protocol;

import dev.turbocache.server.artifact.ArtifactKey;
import dev.turbocache.server.http.Cors;
import dev.turbocache.server.http.Json;
import dev.turbocache.server.http.UploadTarget;
import dev.turbocache.server.metrics.TeamStats;
import io.undertow.server.HttpServerExchange;
import java.util.List;

/**
 * {@code PUT /v8/artifacts/{hash}}, once the upload is stored: counted for its team and answered
 * 202 with its URL. The request gate received the body first (heap for small, a temp file for
 * large, so heap use never follows artifact size) and only then handed it to storage: an upload
 * that breaks off never becomes visible, and a reader never sees a partial body.
 */
public final class ArtifactUploadHandler implements UploadTarget.Answer {
  private final TeamStats teams;

  public ArtifactUploadHandler(TeamStats teams) {
    this.teams = teams;
  }

  @Override
  public void stored(HttpServerExchange exchange, UploadTarget.Upload upload) {
    ArtifactKey key = upload.key();
    teams.uploaded(key.team(), upload.metadata().size());
    Cors.actual(exchange);
    Json.sendFromIoThread(exchange, 202, new UploadResponse(List.of(key.toName('/'))));
  }

  record UploadResponse(List<String> urls) {}
}
