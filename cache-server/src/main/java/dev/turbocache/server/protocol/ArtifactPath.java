package dev.turbocache.server.protocol;

import dev.turbocache.server.http.ApiException;
import dev.turbocache.server.storage.ArtifactKey;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.PathTemplateMatch;

/** The validated {@code {hash}} path parameter plus the request's team. */
final class ArtifactPath {
  private ArtifactPath() {}

  static String hash(HttpServerExchange exchange) {
    PathTemplateMatch match = exchange.getAttachment(PathTemplateMatch.ATTACHMENT_KEY);
    String hash = match == null ? null : match.getParameters().get("hash");
    if (!ArtifactKey.isValidHash(hash)) {
      throw ApiException.badRequest("invalid artifact hash: expected 1-128 hexadecimal characters");
    }
    return hash;
  }
}
