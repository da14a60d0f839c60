package dev.turbocache.server.protocol;

import dev.turbocache.server.artifact.ArtifactKey;
import dev.turbocache.server.http.Cors;
import dev.turbocache.server.http.Json;
import dev.turbocache.server.http.JsonTemplate;
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
  /** Every upload is answered with its URL, filled into bytes encoded once. */
  private static final JsonTemplate ANSWER =
      new JsonTemplate(url -> Json.encode(new UploadResponse(List.of(url))));

  private final TeamStats teams;

  public ArtifactUploadHandler(TeamStats teams) {
    this.teams = teams;
  }

  @Override
  public void stored(HttpServerExchange exchange, UploadTarget.Upload upload) {
    ArtifactKey key = upload.key();
    teams.uploaded(key.team(), upload.metadata().size());
    Cors.actual(exchange);
    Json.sendEncodedFromIoThread(exchange, 202, ANSWER.fill(key.toName('/')));
  }

  record UploadResponse(List<String> urls) {}
}
