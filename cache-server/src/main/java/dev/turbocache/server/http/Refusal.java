package dev.turbocache.server.http;

import io.undertow.io.IoCallback;
import io.undertow.io.Sender;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.xnio.IoUtils;

/**
 * Answers a request the server will not serve, from the I/O thread and without waiting for the
 * rest of its body. When body bytes are still on their way the connection is not kept: the answer
 * says {@code Connection: close}; once it is out, what the client still sends is read and dropped
 * ({@link UnreadBody}, for at most {@code linger}), and then Undertow shuts the connection's write
 * side and closes it.
 */
public final class Refusal {
  private final Duration linger;

  /** Once the answer is written: closing the sender flushes it. */
  private final IoCallback flushThenDropRest = new IoCallback() {
    @Override
    public void onComplete(HttpServerExchange exchange, Sender sender) {
      sender.close(dropRest);
    }

    @Override
    public void onException(HttpServerExchange exchange, Sender sender, IOException e) {
      IoCallback.END_EXCHANGE.onException(exchange, sender, e);
    }
  };

  /** Once the answer is out: what the client still sends is dropped, then the exchange ends. */
  private final IoCallback dropRest = new IoCallback() {
    @Override
    public void onComplete(HttpServerExchange exchange, Sender sender) {
      UnreadBody.dropThenEnd(exchange, linger);
    }

    @Override
    public void onException(HttpServerExchange exchange, Sender sender, IOException e) {
      IoCallback.END_EXCHANGE.onException(exchange, sender, e);
    }
  };

  /** @param linger how long a refused request's remaining body is read and dropped before closing */
  public Refusal(Duration linger) {
    this.linger = linger;
  }

  /** Sends {@code error} as the answer to {@code exchange} (on its I/O thread). */
  public void send(HttpServerExchange exchange, ApiError error) {
    if (exchange.isResponseStarted()) {
      IoUtils.safeClose(exchange.getConnection());
      exchange.endExchange();
      return;
    }
    if (exchange.isRequestComplete()) {
      error.send(exchange);
      return;
    }
    exchange.setPersistent(false);
    exchange.setStatusCode(error.status());
    byte[] json = Json.encode(error.body());
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, Json.CONTENT_TYPE);
    exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, json.length);
    exchange.getResponseSender().send(ByteBuffer.wrap(json), flushThenDropRest);
  }
}
