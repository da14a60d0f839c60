package dev.turbocache.server.http;

import io.undertow.io.IoCallback;
import io.undertow.io.Sender;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.xnio.IoUtils;

/**
 * Answers a request the server will not serve, from the I/O thread and without waiting for the
 * rest of its body. When body bytes are still on their way the connection is not kept: the answer
 * says {@code Connection: close}, and once it is out Undertow shuts the connection's write side
 * (so the client has the whole answer) and closes it.
 */
public final class Refusal {
  private final Duration linger;

  /** @param linger how long a refused request's remaining body is drained before closing */
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
    exchange.getResponseSender().send(ByteBuffer.wrap(json), new IoCallback() {
      @Override
      public void onComplete(HttpServerExchange ex, Sender sender) {
        closeAfterLinger(ex);
        IoCallback.END_EXCHANGE.onComplete(ex, sender);
      }

      @Override
      public void onException(HttpServerExchange ex, Sender sender, IOException e) {
        IoCallback.END_EXCHANGE.onException(ex, sender, e);
      }
    });
  }

  /**
   * Undertow closes a connection it does not keep as soon as the answer is out; were it to wait
   * for the unread body instead (it drains bodies before it completes an exchange, without a
   * time limit), a client that never sends it would keep the connection, though no thread,
   * forever. This bounds that wait.
   */
  private void closeAfterLinger(HttpServerExchange exchange) {
    var connection = exchange.getConnection();
    if (linger.isZero()) {
      IoUtils.safeClose(connection);
      return;
    }
    exchange.getIoThread().executeAfter(
        () -> IoUtils.safeClose(connection), linger.toMillis(), TimeUnit.MILLISECONDS);
  }
}
