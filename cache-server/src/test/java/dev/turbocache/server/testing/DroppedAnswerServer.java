package dev.turbocache.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP/1.1 server that answers every request on kept-alive connections except one: the
 * {@code dropped}-th request of its first connection, which it reads to the end and then closes the
 * connection on without sending a byte. That is what a client sees when a server's keep-alive
 * timeout closes a connection just as a request is sent on it, or when the JDK client's pool race
 * takes the answer of a reused connection.
 *
 * <p>GETs are answered 200 with {@code getBody} as JSON, anything else 202 with no body. Only
 * requests read to their last byte are recorded.
 */
public final class DroppedAnswerServer implements AutoCloseable {
  /** One request read in full: which connection it came on (from 1), and its bytes. */
  public record Request(int connection, String method, String path, byte[] body) {}

  private final ServerSocket socket;
  private final int dropped;
  private final byte[] getBody;
  private final AtomicInteger connections = new AtomicInteger();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final List<Socket> open = new CopyOnWriteArrayList<>();

  public DroppedAnswerServer(int dropped, String getBody) {
    this.dropped = dropped;
    this.getBody = getBody.getBytes(StandardCharsets.UTF_8);
    try {
      socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Thread.ofPlatform().daemon().name("dropped-answer-server").start(this::accept);
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + socket.getLocalPort();
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  private void accept() {
    while (!socket.isClosed()) {
      try {
        Socket s = socket.accept();
        open.add(s);
        int connection = connections.incrementAndGet();
        Thread.ofPlatform().daemon().name("dropped-answer-" + connection).start(() -> serve(s, connection));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket s, int connection) {
    try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
      for (int n = 1; ; n++) {
        Request request = read(in, connection);
        if (request == null) {
          return;
        }
        requests.add(request);
        if (connection == 1 && n == dropped) {
          return;
        }
        byte[] body = request.method().equals("GET") ? getBody : new byte[0];
        String head = (body.length > 0 ? "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            : "HTTP/1.1 202 Accepted\r\n") + "Content-Length: " + body.length + "\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
      }
    } catch (IOException e) {
      // the client went away part way through a request: it is not recorded
    }
  }

  /** The next request, or null when the connection ends before one is complete. */
  private static Request read(InputStream in, int connection) throws IOException {
    String head = RawHttp.readHead(in);
    if (head == null) {
      return null;
    }
    String[] lines = head.split("\r\n");
    String[] requestLine = lines[0].split(" ");
    long length = 0;
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0 && lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("content-length")) {
        length = Long.parseLong(lines[i].substring(colon + 1).trim());
      }
    }
    byte[] body = in.readNBytes(Math.toIntExact(length));
    if (body.length != length) {
      return null;
    }
    return new Request(connection, requestLine[0], requestLine[1], body);
  }

  @Override
  public void close() {
    try {
      socket.close();
      for (Socket s : open) {
        s.close();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
