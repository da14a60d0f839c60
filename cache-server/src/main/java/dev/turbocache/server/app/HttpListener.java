package dev.turbocache.server.app;

import dev.turbocache.server.config.TurboCacheConfig;
import io.undertow.UndertowOptions;
import io.undertow.connector.ByteBufferPool;
import io.undertow.server.DefaultByteBufferPool;
import io.undertow.server.HttpHandler;
import io.undertow.server.protocol.http.HttpOpenListener;
import io.undertow.server.protocol.http2.Http2UpgradeHandler;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.StreamConnection;
import org.xnio.XnioWorker;
import org.xnio.channels.AcceptingChannel;

/**
 * One listening socket serving HTTP/1.1, and HTTP/2 by upgrade, on the server's worker.
 *
 * <p>It is set up as {@code Undertow.builder()} sets up an HTTP listener (the same socket options,
 * buffers and protocol handlers), because the builder has no place for {@link
 * FirstRequestDeadline} between accepting a connection and handing it to Undertow.
 */
final class HttpListener implements AutoCloseable {
  private final AcceptingChannel<StreamConnection> channel;
  private final int port;

  private HttpListener(AcceptingChannel<StreamConnection> channel) {
    this.channel = channel;
    this.port = ((InetSocketAddress) channel.getLocalAddress()).getPort();
  }

  /** Listens on {@code port} of {@code server.host}; a port that cannot be bound throws. */
  static HttpListener open(TurboCacheConfig.Server server, int port, XnioWorker worker,
      HttpHandler handler) throws IOException {
    HttpOpenListener http = new HttpOpenListener(buffers(), OptionMap.builder()
        .set(UndertowOptions.BUFFER_PIPELINED_DATA, true)
        .set(UndertowOptions.ENABLE_HTTP2, true)
        // From a request's first byte to the end of its headers: a header sent a byte at a time
        // cannot keep a connection open past this.
        .set(UndertowOptions.REQUEST_PARSE_TIMEOUT, millis(server.requestHeaderTimeout()))
        // A connection waiting for its next request; before its first, FirstRequestDeadline's.
        .set(UndertowOptions.NO_REQUEST_TIMEOUT, millis(server.idleTimeout()))
        .getMap());
    http.setRootHandler(new Http2UpgradeHandler(handler));
    OptionMap socket = OptionMap.builder()
        .set(Options.WORKER_IO_THREADS, worker.getIoThreadCount())
        .set(Options.TCP_NODELAY, true)
        .set(Options.REUSE_ADDRESSES, true)
        .set(Options.BALANCING_TOKENS, 1)
        .set(Options.BALANCING_CONNECTIONS, 2)
        .set(Options.BACKLOG, 1000)
        // A response the client does not read: bounds how long a download can hold a worker.
        .set(Options.WRITE_TIMEOUT, millis(server.sendTimeout()))
        .getMap();
    AcceptingChannel<StreamConnection> channel = worker.createStreamConnectionServer(
        new InetSocketAddress(InetAddress.getByName(server.host()), port),
        ChannelListeners.openListenerAdapter(
            new FirstRequestDeadline(http, server.firstRequestTimeout())),
        socket);
    channel.resumeAccepts();
    return new HttpListener(channel);
  }

  /** The port bound (the one asked for, or the one the system chose for 0). */
  int port() {
    return port;
  }

  /** Closes the listening socket: new connections are refused, open ones are left to finish. */
  @Override
  public void close() {
    IoUtils.safeClose(channel);
  }

  /**
   * Undertow's own choice: 16 KiB direct buffers, less 20 bytes so a buffer and the protocol's
   * headers fit one write, unless the heap is under 128 MiB.
   */
  private static ByteBufferPool buffers() {
    long heap = Runtime.getRuntime().maxMemory();
    if (heap < 64L << 20) {
      return new DefaultByteBufferPool(false, 512, -1, 4);
    }
    if (heap < 128L << 20) {
      return new DefaultByteBufferPool(true, 1024, -1, 4);
    }
    return new DefaultByteBufferPool(true, (16 << 10) - 20, -1, 4);
  }

  private static int millis(Duration d) {
    return Math.toIntExact(d.toMillis());
  }
}
