package dev.turbocache.server.protocol;

import dev.turbocache.server.artifact.ArtifactKey;
import dev.turbocache.server.http.ApiError;
import dev.turbocache.server.http.Json;
import io.undertow.server.HttpServerExchange;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The 404 turbo reads as a miss. Most requests of a cold build are misses, so the body is
 * assembled from bytes encoded once around the hash (hexadecimal, which JSON never escapes)
 * instead of running the object mapper for each: the same bytes {@link ApiError#send} sends.
 */
final class MissAnswer {
  /** Stands for the hash in the encoded template; no other part of the body contains it. */
  private static final String MARK = "0123456789abcdef0123456789abcdef";
  private static final byte[] BEFORE;
  private static final byte[] AFTER;

  static {
    byte[] template = error(MARK).json();
    String text = new String(template, StandardCharsets.UTF_8);
    int at = text.indexOf(MARK);
    BEFORE = Arrays.copyOfRange(template, 0, at);
    AFTER = Arrays.copyOfRange(template, at + MARK.length(), template.length);
  }

  private MissAnswer() {}

  static ApiError error(ArtifactKey key) {
    return error(key.hash());
  }

  private static ApiError error(String hash) {
    return ApiError.notFound("artifact " + hash + " not found");
  }

  /** Sends the 404 for {@code key} (the response has not started). */
  static void send(HttpServerExchange exchange, ArtifactKey key) {
    byte[] hash = key.hash().getBytes(StandardCharsets.US_ASCII);
    byte[] body = new byte[BEFORE.length + hash.length + AFTER.length];
    System.arraycopy(BEFORE, 0, body, 0, BEFORE.length);
    System.arraycopy(hash, 0, body, BEFORE.length, hash.length);
    System.arraycopy(AFTER, 0, body, BEFORE.length + hash.length, AFTER.length);
    Json.sendEncoded(exchange, 404, body);
  }
}
