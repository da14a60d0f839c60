package dev.turbocache.server.http;

import io.undertow.server.HttpServerExchange;
import java.nio.channels.ReadableByteChannel;
import org.xnio.channels.BlockingReadableByteChannel;

/** Access to a request body for handlers that run on worker threads (behind BlockingHandler). */
public final class RequestBody {
  private RequestBody() {}

  /**
   * The body as a blocking channel: a reader can fill direct buffers straight from the socket,
   * where the exchange's input stream would copy every chunk through a heap array first.
   */
  public static ReadableByteChannel channel(HttpServerExchange exchange) {
    return new BlockingReadableByteChannel(exchange.getRequestChannel());
  }
}
