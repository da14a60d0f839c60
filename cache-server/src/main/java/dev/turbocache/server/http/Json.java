package dev.turbocache.server.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.undertow.io.AsyncSenderImpl;
import io.undertow.server.HttpServerExchange;
import dev.turbocache.server.storage.ArtifactBody;
import io.undertow.util.AttachmentKey;
import io.undertow.util.Headers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/** JSON in and out of exchanges, with one shared mapper. */
public final class Json {
  public static final String CONTENT_TYPE = "application/json";

  /** Request bodies of the JSON routes are small; anything larger is refused, not parsed. */
  public static final int MAX_REQUEST_BYTES = 1 << 20;

  /**
   * Modules are added by name, not found on the classpath: the test classpath holds modules the
   * shipped jar does not, and a mapper that depends on which jars happen to be present answers
   * 500 in production while every in-process test passes.
   */
  public static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .serializationInclusion(JsonInclude.Include.ALWAYS)
          .addModule(new JavaTimeModule())
          .build();

  private Json() {}

  /** Sends {@code value} as the JSON response body (status already set by the caller). */
  public static void send(HttpServerExchange exchange, Object value) {
    exchange.getResponseSender().send(prepare(exchange, value));
  }

  /**
   * Sends a small JSON response from the connection's I/O thread once the calling worker-thread
   * handler has returned, so the exchange also completes there. Completed on a worker, Undertow
   * hands the connection back with a compare-and-set loop that the I/O thread spins on while the
   * worker finishes it; on a machine with few cores the worker is often preempted right then, and
   * the spinning cost 6-7 % of the CPU of every upload.
   */
  public static void sendFromIoThread(HttpServerExchange exchange, int status, Object value) {
    sendEncodedFromIoThread(exchange, status, encode(value));
  }

  /** {@link #sendFromIoThread} of JSON already encoded. */
  public static void sendEncodedFromIoThread(HttpServerExchange exchange, int status, byte[] json) {
    exchange.setStatusCode(status);
    ByteBuffer body = prepareEncoded(exchange, json);
    exchange.dispatch(exchange.getIoThread(), () -> new AsyncSenderImpl(exchange).send(body));
  }

  private static ByteBuffer prepare(HttpServerExchange exchange, Object value) {
    return prepareEncoded(exchange, encode(value));
  }

  private static ByteBuffer prepareEncoded(HttpServerExchange exchange, byte[] json) {
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, CONTENT_TYPE);
    exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, json.length);
    return ByteBuffer.wrap(json);
  }

  /** {@code value} as JSON bytes, for a caller that must know it serializes before acting. */
  public static byte[] encode(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends JSON that {@link #encode} produced, with the given status. */
  public static void sendEncoded(HttpServerExchange exchange, int status, byte[] json) {
    exchange.setStatusCode(status);
    exchange.getResponseSender().send(prepareEncoded(exchange, json));
  }

  /** Sends {@code value} with the given status. */
  public static void send(HttpServerExchange exchange, int status, Object value) {
    exchange.setStatusCode(status);
    send(exchange, value);
  }

  /**
   * The request body of a {@link Handling.Kind#JSON_BODY} route, received by the {@link
   * RequestGate} before the handler runs.
   */
  static final AttachmentKey<ArtifactBody.Bytes> REQUEST_BODY =
      AttachmentKey.create(ArtifactBody.Bytes.class);

  /**
   * Parses the JSON request body (of a {@link Handling.Kind#JSON_BODY} route). Malformed input
   * ends the request with a 400 that says what was wrong with it, in terms of the JSON.
   */
  public static <T> T read(HttpServerExchange exchange, Class<T> type) {
    ArtifactBody.Bytes body = exchange.getAttachment(REQUEST_BODY);
    if (body == null || body.size() == 0) {
      throw ApiException.badRequest("request body is empty; a JSON body is required");
    }
    T value;
    try (JsonParser parser = MAPPER.createParser(body.data(), body.offset(), body.length())) {
      try {
        value = MAPPER.readValue(parser, type);
      } catch (IOException e) {
        // Described while the parser is still open: it knows what token it was looking at.
        throw ApiException.badRequest("malformed JSON body: " + JsonProblem.describe(e));
      }
    } catch (IOException e) {
      throw ApiException.badRequest("malformed JSON body: " + JsonProblem.describe(e));
    }
    if (value == null) {
      throw ApiException.badRequest("request body must be a JSON value, not null");
    }
    return value;
  }
}
