package dev.turbocache.server.http;

import io.undertow.server.Connectors;
import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.xnio.ChannelListener;
import org.xnio.XnioExecutor;
import org.xnio.channels.Channels;
import org.xnio.channels.StreamSourceChannel;

/**
 * What is left of a refused request's body, read and dropped on the I/O thread after the answer
 * is out; the exchange ends once the body is over, the client closes, or {@code linger} passes.
 *
 * <p>A socket closed with bytes it has not read is reset instead of shut down (RFC 9112 §9.6): a
 * client still sending its upload then gets "broken pipe" or "connection reset" rather than the
 * answer, and some TCP stacks throw away answer bytes their client had received but not yet
 * read. Dropping the rest first lets the connection end with a FIN after the answer. The wait is
 * bounded, so a client that keeps sending (or never sends the rest) costs at most {@code linger}
 * of an open connection and no thread; after it the exchange ends with the body unread.
 */
final class UnreadBody implements ChannelListener<StreamSourceChannel> {
  private static final long PER_EVENT = 1 << 20;

  private final HttpServerExchange exchange;
  private final StreamSourceChannel channel;
  private XnioExecutor.Key deadline;
  private boolean ended;

  private UnreadBody(HttpServerExchange exchange, StreamSourceChannel channel) {
    this.exchange = exchange;
    this.channel = channel;
  }

  /** Drops the rest of the body of {@code exchange}, then ends it; call once its answer is sent. */
  static void dropThenEnd(HttpServerExchange exchange, Duration linger) {
    if (exchange.isRequestComplete()) {
      exchange.endExchange();
      return;
    }
    if (!exchange.isRequestChannelAvailable()) {
      // The body's receiver had it; it reads no more, so the channel may be taken again.
      Connectors.resetRequestChannel(exchange);
    }
    new UnreadBody(exchange, exchange.getRequestChannel()).begin(linger);
  }

  private void begin(Duration linger) {
    if (dropAvailable()) {
      return;
    }
    deadline = exchange.getIoThread().executeAfter(this::end, Math.max(1, linger.toMillis()), TimeUnit.MILLISECONDS);
    channel.getReadSetter().set(this);
    channel.resumeReads();
  }

  @Override
  public void handleEvent(StreamSourceChannel ignored) {
    if (!ended) {
      dropAvailable();
    }
  }

  /**
   * Drops up to {@link #PER_EVENT} bytes of what has arrived; true (and the exchange ended) once
   * nothing more will come. The bound keeps a fast sender from holding the I/O thread: the
   * selector reports the socket readable again while more is waiting.
   */
  private boolean dropAvailable() {
    try {
      if (Channels.drain(channel, PER_EVENT) >= 0) {
        return false;
      }
    } catch (IOException e) {
      // The client reset or closed the connection: there is nobody left to read an answer.
    }
    end();
    return true;
  }

  private void end() {
    if (ended) {
      return;
    }
    ended = true;
    if (deadline != null) {
      deadline.remove();
    }
    channel.getReadSetter().set(null);
    channel.suspendReads();
    exchange.endExchange();
  }
}
