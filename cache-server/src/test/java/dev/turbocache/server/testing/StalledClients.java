package dev.turbocache.server.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Many raw connections that each send the start of a request and then stall, as a hostile
 * client would: headers dripped a byte at a time, a body that announces more than it sends, or
 * a download the client does not read.
 * They come from their own loopback address (anything in 127.0.0.0/8 reaches a server bound to
 * 127.0.0.1 on Linux), so per-address limits of the server see them as one other client. Each
 * connection is read on a virtual thread until the server closes it; {@link #close()} closes
 * whatever is left.
 */
public final class StalledClients implements AutoCloseable {
  private final List<Socket> sockets = new ArrayList<>();
  private final List<CompletableFuture<Answer>> answers = new ArrayList<>();
  private final ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor();
  private final ScheduledExecutorService drip = Executors.newSingleThreadScheduledExecutor();

  private StalledClients() {}

  /**
   * Opens {@code count} connections from {@code localAddress} to {@code port} and sends
   * {@code prefix} on each, reading what the server answers at once. With {@code dripEveryMillis
   * > 0} one more byte ({@code x}) follows on each connection at that interval, for as long as it
   * is open.
   */
  public static StalledClients open(String localAddress, int port, int count, String prefix,
      long dripEveryMillis) throws IOException {
    StalledClients clients = connect(localAddress, port, count, prefix, false);
    clients.startReading();
    if (dripEveryMillis > 0) {
      clients.drip.scheduleWithFixedDelay(clients::dripOneByte, dripEveryMillis, dripEveryMillis,
          TimeUnit.MILLISECONDS);
    }
    return clients;
  }

  /**
   * Like {@link #open} without dripping, but the connections read nothing (and have a small
   * receive buffer) until {@link #startReading()}: a download then stalls with the server.
   */
  public static StalledClients openNotReading(String localAddress, int port, int count,
      String prefix) throws IOException {
    return connect(localAddress, port, count, prefix, true);
  }

  private static StalledClients connect(String localAddress, int port, int count, String prefix,
      boolean smallReceiveBuffer) throws IOException {
    StalledClients clients = new StalledClients();
    try {
      for (int i = 0; i < count; i++) {
        Socket socket = new Socket();
        clients.sockets.add(socket);
        if (smallReceiveBuffer) {
          socket.setReceiveBufferSize(4096);
        }
        try {
          socket.bind(new InetSocketAddress(localAddress, 0));
        } catch (IOException e) {
          throw new IOException("cannot bind a client socket to " + localAddress
              + ": these tests need every address of 127.0.0.0/8 on the loopback interface (Linux)", e);
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        socket.getOutputStream().write(prefix.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
      }
      return clients;
    } catch (IOException | RuntimeException e) {
      clients.close();
      throw e;
    }
  }

  /** Reads every connection (on its own virtual thread) until the server closes it. */
  public void startReading() {
    for (Socket socket : sockets) {
      answers.add(CompletableFuture.supplyAsync(() -> readUntilClosed(socket), readers));
    }
  }

  private void dripOneByte() {
    for (Socket socket : sockets) {
      if (!socket.isClosed()) {
        try {
          OutputStream out = socket.getOutputStream();
          out.write('x');
          out.flush();
        } catch (IOException e) {
          // closed by the server: nothing more to drip there
        }
      }
    }
  }

  /**
   * What the server sent on one connection until it closed (or reset) it: the first bytes as
   * text, and how many there were in all.
   */
  public record Answer(String head, long bytes) {}

  private static final int HEAD_BYTES = 8192;

  private static Answer readUntilClosed(Socket socket) {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    long total = 0;
    try {
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[65536];
      int n;
      while ((n = in.read(buffer)) >= 0) {
        head.write(buffer, 0, (int) Math.max(0, Math.min(n, HEAD_BYTES - total)));
        total += n;
      }
    } catch (SocketException e) {
      // a reset is a close too; closing it here (close()) ends up here as well
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return new Answer(head.toString(StandardCharsets.ISO_8859_1), total);
  }

  public int size() {
    return sockets.size();
  }

  /** How many connections the server has closed so far. */
  public long closedByServer() {
    return answers.stream().filter(CompletableFuture::isDone).count();
  }

  /** What the server sent on each connection, once it closed them all. */
  public List<Answer> answers() {
    return answers.stream().map(CompletableFuture::join).toList();
  }

  @Override
  public void close() {
    drip.shutdownNow();
    for (Socket socket : sockets) {
      try {
        socket.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
    readers.shutdownNow();
  }
}
