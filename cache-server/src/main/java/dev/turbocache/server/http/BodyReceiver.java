package dev.turbocache.server.http;

import dev.turbocache.server.storage.ArtifactBody;
import dev.turbocache.server.storage.IncomingBody;
import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.xnio.ChannelListener;
import org.xnio.IoUtils;
import org.xnio.XnioExecutor;
import org.xnio.channels.StreamSourceChannel;

/**
 * Receives a request body on the connection's I/O thread as the client sends it: whatever has
 * arrived is read when the socket becomes readable, and the route's handler runs (on a worker)
 * only once the body is complete. No thread ever waits on the client, so a slow or silent one
 * cannot hold what other requests need. A body that pauses longer than the body-read timeout is
 * answered with 408 and its connection closed.
 */
final class BodyReceiver implements ChannelListener<StreamSourceChannel> {

  /** What happens next; all of it runs on the I/O thread. */
  interface Outcome {
    /** The whole body arrived; the receiver owns nothing any more. */
    void received(HttpServerExchange exchange, ArtifactBody body);

    /** The server could not keep the bytes (a full disk...). */
    void failed(HttpServerExchange exchange, IOException e);

    /** The client broke off or paused too long; the exchange is already being ended. */
    void abandoned(HttpServerExchange exchange, boolean timedOut);
  }

  private final HttpServerExchange exchange;
  private final IncomingBody body;
  private final long expected;
  private final long max;
  private final long timeoutNanos;
  private final Outcome outcome;
  private final Refusal refusal;
  private final ByteBuffer probe = ByteBuffer.allocate(1);
  private StreamSourceChannel channel;
  private long bytesRead;
  private long lastProgress;
  private XnioExecutor.Key timer;
  private boolean done;

  private BodyReceiver(HttpServerExchange exchange, IncomingBody body, long expected, long max,
      Duration timeout, Refusal refusal, Outcome outcome) {
    this.exchange = exchange;
    this.body = body;
    this.expected = expected;
    this.max = max;
    this.timeoutNanos = timeout.toNanos();
    this.refusal = refusal;
    this.outcome = outcome;
  }

  /**
   * Starts receiving into {@code body} (on the I/O thread, from the route's handler): reads what
   * is there now, and the rest as it comes. More than {@code max} bytes is refused with 400; a
   * body that ends before its declared {@code expected} length (-1: not declared) is abandoned.
   */
  static void start(HttpServerExchange exchange, IncomingBody body, long expected, long max,
      Duration timeout, Refusal refusal, Outcome outcome) {
    new BodyReceiver(exchange, body, expected, max, timeout, refusal, outcome).begin();
  }

  private void begin() {
    channel = exchange.getRequestChannel();
    if (channel == null) {
      finishWith(() -> outcome.failed(exchange, new IOException("request body was already read")));
      return;
    }
    lastProgress = System.nanoTime();
    readAvailable();
    if (!done) {
      channel.getReadSetter().set(this);
      channel.resumeReads();
      schedule(timeoutNanos);
    }
  }

  @Override
  public void handleEvent(StreamSourceChannel ignored) {
    if (!done) {
      readAvailable();
    }
  }

  /** Reads until the socket has nothing more for now, the body is complete, or it fails. */
  private void readAvailable() {
    try {
      while (true) {
        ByteBuffer target;
        try {
          target = body.buffer();
        } catch (IOException e) {
          storageFailed(e);
          return;
        }
        ByteBuffer into = target.hasRemaining() ? target : probe.clear();
        int n;
        try {
          n = channel.read(into);
        } catch (IOException e) {
          abandon(false);
          return;
        }
        if (n > 0) {
          bytesRead += n;
          lastProgress = System.nanoTime();
          if (into == probe || bytesRead > max) {
            tooLarge();
            return;
          }
          if (!target.hasRemaining()) {
            body.commit();
          }
        } else if (n == 0) {
          body.commit();
          body.pause();
          return;
        } else if (expected >= 0 && bytesRead != expected) {
          abandon(false);
          return;
        } else {
          body.commit();
          complete();
          return;
        }
      }
    } catch (IOException e) {
      storageFailed(e);
    } catch (RuntimeException e) {
      storageFailed(new IOException("receiving the request body failed", e));
    }
  }

  private void complete() throws IOException {
    ArtifactBody received = body.complete();
    finishWith(() -> outcome.received(exchange, received));
  }

  private void storageFailed(IOException e) {
    finishWith(() -> {
      body.close();
      outcome.failed(exchange, e);
    });
  }

  private void tooLarge() {
    finishWith(() -> {
      body.close();
      refusal.send(exchange, ApiError.badRequest(
          "request body too large (limit " + max + " bytes)"));
    });
  }

  /** The client closed or reset the connection, or went silent for too long. */
  private void abandon(boolean timedOut) {
    finishWith(() -> {
      body.close();
      outcome.abandoned(exchange, timedOut);
      if (timedOut) {
        refusal.send(exchange, new ApiError(408, "request_timeout", "no request body bytes arrived for "
            + Duration.ofNanos(timeoutNanos).toSeconds() + " s (server.bodyReadTimeout)"));
      } else {
        // What was read stays the status of the access line and metrics: an incomplete upload.
        exchange.setStatusCode(400);
        IoUtils.safeClose(exchange.getConnection());
        exchange.endExchange();
      }
    });
  }

  /** Stops reading and listening, then runs the one outcome. */
  private void finishWith(Runnable next) {
    done = true;
    if (timer != null) {
      timer.remove();
      timer = null;
    }
    if (channel != null) {
      channel.getReadSetter().set(null);
      channel.suspendReads();
    }
    next.run();
  }

  private void schedule(long delayNanos) {
    timer = exchange.getIoThread().executeAfter(this::checkTimeout,
        Math.max(1, TimeUnit.NANOSECONDS.toMillis(delayNanos)), TimeUnit.MILLISECONDS);
  }

  private void checkTimeout() {
    timer = null;
    if (done) {
      return;
    }
    long idle = System.nanoTime() - lastProgress;
    if (idle >= timeoutNanos) {
      abandon(true);
    } else {
      schedule(timeoutNanos - idle);
    }
  }
}
