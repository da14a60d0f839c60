package dev.turbocache.server.http;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.HttpString;

/**
 * CORS headers for turbo's preflight mode ({@code TURBO_PREFLIGHT=true}). turbo only forwards the
 * Authorization header on the real request when the preflight answer lists it in
 * Access-Control-Allow-Headers, so the list below must keep {@code Authorization}.
 */
public final class Cors {
  static final HttpString ALLOW_ORIGIN = new HttpString("Access-Control-Allow-Origin");
  static final HttpString ALLOW_METHODS = new HttpString("Access-Control-Allow-Methods");
  static final HttpString ALLOW_HEADERS = new HttpString("Access-Control-Allow-Headers");
  static final HttpString EXPOSE_HEADERS = new HttpString("Access-Control-Expose-Headers");
  static final HttpString MAX_AGE = new HttpString("Access-Control-Max-Age");

  public static final String ALLOWED_HEADERS =
      "Authorization, Content-Type, User-Agent, x-artifact-duration, x-artifact-tag, x-artifact-sha, "
          + "x-artifact-dirty-hash, x-artifact-client-ci, x-artifact-client-interactive, x-request-id";
  public static final String EXPOSED_HEADERS =
      "Content-Length, x-artifact-duration, x-artifact-tag, x-artifact-sha, x-artifact-dirty-hash, x-request-id";

  private Cors() {}

  /** Headers for an OPTIONS preflight answer. */
  public static void preflight(HttpServerExchange exchange) {
    HeaderMap h = exchange.getResponseHeaders();
    h.put(ALLOW_ORIGIN, "*");
    h.put(ALLOW_METHODS, "GET, HEAD, PUT, POST, OPTIONS");
    h.put(ALLOW_HEADERS, ALLOWED_HEADERS);
    h.put(MAX_AGE, "600");
  }

  /** Headers on real responses so browser-based clients can read the artifact metadata. */
  public static void actual(HttpServerExchange exchange) {
    HeaderMap h = exchange.getResponseHeaders();
    h.put(ALLOW_ORIGIN, "*");
    h.put(EXPOSE_HEADERS, EXPOSED_HEADERS);
  }
}
