package dev.turbocache.server.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.turbocache.server.artifact.ArtifactKey;
import dev.turbocache.server.artifact.ArtifactMetadata;
import dev.turbocache.server.http.AccessGuard;
import dev.turbocache.server.http.ApiException;
import dev.turbocache.server.http.Cors;
import dev.turbocache.server.http.Json;
import dev.turbocache.server.storage.ArtifactStore;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /v8/artifacts}: which of these hashes are cached? This is what {@code turbo --dry}
 * calls first; answering it spares one HEAD per task.
 */
public final class BatchQueryHandler implements HttpHandler {
  /** turbo asks for the tasks of one run; thousands would be a misuse, not a build. */
  static final int MAX_HASHES = 1000;

  private final ArtifactStore store;

  public BatchQueryHandler(ArtifactStore store) {
    this.store = store;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    String team = AccessGuard.team(exchange);
    BatchQuery query = Json.read(exchange, BatchQuery.class);
    if (query.hashes() == null) {
      throw ApiException.badRequest("body must be {\"hashes\": [\"<hash>\", ...]}");
    }
    if (query.hashes().size() > MAX_HASHES) {
      throw ApiException.badRequest("at most " + MAX_HASHES + " hashes per query");
    }
    Map<String, Object> answer = new LinkedHashMap<>();
    for (String hash : query.hashes()) {
      answer.put(String.valueOf(hash), lookup(team, hash));
    }
    Cors.actual(exchange);
    Json.send(exchange, 200, answer);
  }

  private Object lookup(String team, String hash) throws IOException {
    if (!ArtifactKey.isValidHash(hash)) {
      return new ItemError(new ItemError.Detail("invalid hash"));
    }
    Optional<ArtifactMetadata> meta = store.head(new ArtifactKey(team, hash));
    return meta.map(m -> new Found(m.size(), m.durationMs() == null ? 0 : m.durationMs(), m.tag()))
        .orElse(null);
  }

  record BatchQuery(List<String> hashes) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Found(long size, long taskDurationMs, String tag) {}

  record ItemError(Detail error) {
    record Detail(String message) {}
  }
}
