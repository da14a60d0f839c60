package dev.turbocache.server.http;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

/**
 * The one error shape the server sends: {@code {"error":{"code":"…","message":"…"}}}. turbo parses
 * 403 bodies exactly this way (to tell "caching disabled" from "forbidden"), so every error uses it.
 */
public record ApiError(int status, String code, String message) {

  public static ApiError badRequest(String message) {
    return new ApiError(400, "bad_request", message);
  }

  public static ApiError notFound(String message) {
    return new ApiError(404, "not_found", message);
  }

  public void send(HttpServerExchange exchange) {
    if (exchange.isResponseStarted()) {
      // Headers are gone already; the only honest signal left is to cut the connection.
      exchange.setPersistent(false);
      exchange.endExchange();
      return;
    }
    exchange.setStatusCode(status);
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, Json.CONTENT_TYPE);
    Json.send(exchange, body());
  }

  /** The body {@link #send} sends, as JSON bytes. */
  public byte[] json() {
    return Json.encode(body());
  }

  /** The JSON object this error is sent as. */
  Object body() {
    return new Body(new Detail(code, message));
  }

  record Body(Detail error) {}

  record Detail(String code, String message) {}
}
