package dev.turbocache.server.testing;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * One raw HTTP/1.1 connection kept open between requests, so a test can see when the server
 * closes it. A response must carry a Content-Length, and exactly that many body bytes: anything
 * else fails the next response's parse.
 */
public final class KeepAliveConnection implements AutoCloseable {
  private static final Pattern CONTENT_LENGTH = Pattern.compile("(?im)^content-length:\\s*(\\d+)");

  private final Socket socket;
  private final OutputStream out;
  private final BufferedInputStream in;
  private int answered;

  private KeepAliveConnection(Socket socket) throws IOException {
    this.socket = socket;
    socket.setSoTimeout(30_000);
    this.out = socket.getOutputStream();
    this.in = new BufferedInputStream(socket.getInputStream());
  }

  public static KeepAliveConnection open(int port) throws IOException {
    return new KeepAliveConnection(new Socket("127.0.0.1", port));
  }

  /** GET {@code path} (with a bearer token unless it is null) and read the whole response. */
  public RawHttp.Response get(String path, String token) throws IOException {
    out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + (token == null ? "" : "Authorization: Bearer " + token + "\r\n") + "\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    String head = RawHttp.readHead(in);
    if (head == null) {
      throw new IOException("connection closed after " + answered + " responses");
    }
    if (!head.startsWith("HTTP/1.1 ")) {
      throw new IOException("response " + answered + " does not start with a status line: " + head);
    }
    int length = Integer.parseInt(CONTENT_LENGTH.matcher(head).results().findFirst()
        .orElseThrow(() -> new IOException("no Content-Length: " + head)).group(1));
    answered++;
    return new RawHttp.Response(RawHttp.status(head), in.readNBytes(length));
  }

  /**
   * Whether the server has closed the connection: waits up to {@code millis} for it (a byte
   * arriving instead, which nothing here asked for, fails).
   */
  public boolean closedByServer(int millis) throws IOException {
    socket.setSoTimeout(millis);
    try {
      int b = in.read();
      if (b >= 0) {
        throw new IOException("unasked-for byte " + b + " after " + answered + " responses");
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } finally {
      socket.setSoTimeout(30_000);
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
