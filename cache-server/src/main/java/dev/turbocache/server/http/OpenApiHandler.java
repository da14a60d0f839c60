package dev.turbocache.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * {@code GET /openapi.json}: the OpenAPI 3 document of every route. It is kept as a hand-written
 * resource ({@code openapi.yaml}) rather than generated from handler code: the handlers are plain
 * Undertow handlers without annotations to generate from, the document is reviewed like any other
 * file, and a test holds it to the server's {@link RouteTable} and validates it with a real
 * OpenAPI parser, so it cannot silently drift.
 */
public final class OpenApiHandler implements HttpHandler {
  public static final String RESOURCE = "/openapi.yaml";

  private final byte[] json;

  public OpenApiHandler(String version) {
    JsonNode doc = document();
    ((ObjectNode) doc.get("info")).put("version", version);
    try {
      this.json = Json.MAPPER.writeValueAsBytes(doc);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The document as committed, parsed. */
  public static JsonNode document() {
    try (InputStream in = OpenApiHandler.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " missing from the classpath");
      }
      return new ObjectMapper(new YAMLFactory()).readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, Json.CONTENT_TYPE);
    exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, json.length);
    exchange.getResponseSender().send(ByteBuffer.wrap(json));
  }
}
