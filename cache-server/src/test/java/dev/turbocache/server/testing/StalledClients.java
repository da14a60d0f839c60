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
 * client would: headers dripped a byte at a time, or a body that announces more than it sends.
 * They come from their own loopback address (anything in 127.0.0.0/8 reaches a server bound to
 * 127.0.0.1 on Linux), so per-address limits of the server see them as one other client. Each
 * connection is read on a virtual thread until the server closes it; {@link #close()} closes
 * whatever is left.
 */
public final class StalledClients implements AutoCloseable {
  private final List<Socket> sockets = new ArrayList<>();
  private final List<CompletableFuture<String>> answers = new ArrayList<>();
  private final ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor();
  private final ScheduledExecutorService drip = Executors.newSingleThreadScheduledExecutor();

  private StalledClients() {}

  /**
   * Opens {@code count} connections from {@code localAddress} to {@code port} and sends
   * {@code prefix} on each. With {@code dripEveryMillis > 0} one more byte ({@code x}) follows on
   * each connection at that interval, for as long as it is open.
   */
  public static StalledClients open(String localAddress, int port, int count, String prefix,
      long dripEveryMillis) throws IOException {
    StalledClients clients = new StalledClients();
    try {
      for (int i = 0; i < count; i++) {
        Socket socket = new Socket();
        clients.sockets.add(socket);
        try {
          socket.bind(new InetSocketAddress(localAddress, 0));
        } catch (IOException e) {
          throw new IOException("cannot bind a client socket to " + localAddress
              + ": these tests need every address of 127.0.0.0/8 on the loopback interface (Linux)", e);
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        socket.getOutputStream().write(prefix.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        clients.answers.add(CompletableFuture.supplyAsync(() -> readUntilClosed(socket), clients.readers));
      }
      if (dripEveryMillis > 0) {
        clients.drip.scheduleWithFixedDelay(clients::dripOneByte, dripEveryMillis, dripEveryMillis,
            TimeUnit.MILLISECONDS);
      }
      return clients;
    } catch (IOException | RuntimeException e) {
      clients.close();
      throw e;
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

  /** Everything the server sent until it closed the connection (or reset it). */
  private static String readUntilClosed(Socket socket) {
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    try {
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[4096];
      int n;
      while ((n = in.read(buffer)) >= 0) {
        received.write(buffer, 0, n);
      }
    } catch (SocketException e) {
      // a reset is a close too; closing it here (close()) ends up here as well
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return received.toString(StandardCharsets.ISO_8859_1);
  }

  public int size() {
    return sockets.size();
  }

  /** How many connections the server has closed so far. */
  public long closedByServer() {
    return answers.stream().filter(CompletableFuture::isDone).count();
  }

  /** What the server sent on each connection, once it closed them all. */
  public List<String> answers() {
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
