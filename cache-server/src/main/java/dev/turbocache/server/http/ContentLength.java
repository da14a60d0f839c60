package dev.turbocache.server.http;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

/**
 * The request's declared body length, read defensively: Undertow's own accessor throws on a value
 * that does not fit a long, which would surface as a 500 instead of the client's mistake.
 */
public final class ContentLength {
  /** No Content-Length header (for example a chunked request). */
  public static final long ABSENT = -1;

  private ContentLength() {}

  public static long of(HttpServerExchange exchange) {
    String value = exchange.getRequestHeaders().getFirst(Headers.CONTENT_LENGTH);
    if (value == null) {
      return ABSENT;
    }
    try {
      long length = Long.parseLong(value.trim());
      if (length >= 0) {
        return length;
      }
    } catch (NumberFormatException e) {
      // falls through to the error below
    }
    exchange.setPersistent(false);
    throw ApiException.badRequest("invalid Content-Length: expected a byte count");
  }
}
