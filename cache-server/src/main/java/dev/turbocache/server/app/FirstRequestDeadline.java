package dev.turbocache.server.app;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.ChannelListener;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.XnioExecutor;
import org.xnio.conduits.AbstractStreamSourceConduit;
import org.xnio.conduits.StreamSourceConduit;

/**
 * Closes a new connection that has sent nothing within {@code server.firstRequestTimeout}.
 *
 * <p>Undertow has a single timeout for a connection without a request in progress ({@code
 * NO_REQUEST_TIMEOUT}, our {@code server.idleTimeout}): it covers a new connection before its
 * first request as well as a keep-alive connection between requests. The second must outlast the
 * idle timeout of the proxies in front of the server, or a proxy sends a request on a connection
 * the server is closing and answers it 502; the first needs no such length, and every connection
 * that never sends a request would otherwise be held for it. Once the first byte has arrived,
 * Undertow's {@code REQUEST_PARSE_TIMEOUT} bounds the rest of the headers.
 */
final class FirstRequestDeadline implements ChannelListener<StreamConnection> {
  private static final Logger LOG = LoggerFactory.getLogger(FirstRequestDeadline.class);

  private final ChannelListener<? super StreamConnection> next;
  private final Duration timeout;

  FirstRequestDeadline(ChannelListener<? super StreamConnection> next, Duration timeout) {
    this.next = next;
    this.timeout = timeout;
  }

  @Override
  public void handleEvent(StreamConnection connection) {
    Watch watch = new Watch(connection);
    connection.getSourceChannel().setConduit(watch);
    try {
      watch.timer = connection.getIoThread().executeAfter(watch, timeout.toMillis(),
          TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // The worker is stopping, and closes its connections itself.
      LOG.debug("no first-request deadline for a connection accepted while stopping", e);
    }
    next.handleEvent(connection);
  }

  /**
   * Sits under everything Undertow reads from the connection and notices its first read that
   * returns something (bytes, or the end of the stream), which ends the deadline. The accepting
   * thread, the connection's I/O thread and the worker threads can all read, hence the volatile
   * fields; after the first read this costs one volatile read per read.
   */
  private final class Watch extends AbstractStreamSourceConduit<StreamSourceConduit>
      implements Runnable {
    private final StreamConnection connection;
    private volatile boolean spoke;
    private volatile XnioExecutor.Key timer;

    Watch(StreamConnection connection) {
      super(connection.getSourceChannel().getConduit());
      this.connection = connection;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      int n = next.read(dst);
      if (n != 0) {
        spoke();
      }
      return n;
    }

    @Override
    public long read(ByteBuffer[] dsts, int offs, int len) throws IOException {
      long n = next.read(dsts, offs, len);
      if (n != 0) {
        spoke();
      }
      return n;
    }

    private void spoke() {
      if (!spoke) {
        spoke = true;
        XnioExecutor.Key t = timer;
        if (t != null) {
          // Holds the connection no longer than it is silent.
          t.remove();
        }
      }
    }

    /** The deadline, on the connection's I/O thread. */
    @Override
    public void run() {
      if (!spoke && connection.isOpen()) {
        LOG.debug("closing a connection from {} that sent nothing within {} "
            + "(server.firstRequestTimeout)", connection.getPeerAddress(), timeout);
        IoUtils.safeClose(connection);
      }
    }
  }
}
