package dev.turbocache.server.http;

import dev.turbocache.server.artifact.ArtifactKey;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.PathTemplateMatch;

/** The parameters of a route's path template ({@code {hash}}, {@code {team}}...), validated where they name an artifact. */
public final class PathParameters {
  private PathParameters() {}

  /** The value of {@code {name}}, or null when the route has none. */
  public static String get(HttpServerExchange exchange, String name) {
    PathTemplateMatch match = exchange.getAttachment(PathTemplateMatch.ATTACHMENT_KEY);
    return match == null ? null : match.getParameters().get(name);
  }

  /** The artifact of {@code {hash}} of the team the route's access check admitted (400 for a bad hash). */
  public static ArtifactKey artifactKey(HttpServerExchange exchange) {
    String hash = get(exchange, "hash");
    if (!ArtifactKey.isValidHash(hash)) {
      throw ApiException.badRequest(ArtifactKey.INVALID_HASH);
    }
    return new ArtifactKey(AccessGuard.team(exchange), hash);
  }
}
