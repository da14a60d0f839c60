package dev.turbocache.server.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Hand-written HTTP/1.1 for what java.net.http refuses to send: a wrong or missing
 * Content-Length, a chunked upload, a body cut off half way.
 */
public final class RawHttp {
  private RawHttp() {}

  /** Sends {@code head} (request line and headers, CRLF separated, without the blank line) and {@code body}; returns the raw response. */
  public static String exchange(int port, String head, byte[] body) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write((head + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      return readAll(socket.getInputStream());
    }
  }

  /** Sends headers declaring {@code declaredLength} bytes, then only {@code sent}, then closes. */
  public static void truncatedUpload(int port, String path, String token, long declaredLength, byte[] sent)
      throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      OutputStream out = socket.getOutputStream();
      out.write(("PUT " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
          + "\r\nContent-Type: application/octet-stream\r\nContent-Length: " + declaredLength + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.write(sent);
      out.flush();
    }
  }

  public static int status(String response) {
    return Integer.parseInt(response.substring(9, 12));
  }

  public static String body(String response) {
    int i = response.indexOf("\r\n\r\n");
    return i < 0 ? "" : response.substring(i + 4);
  }

  private static String readAll(InputStream in) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    in.transferTo(buf);
    return buf.toString(StandardCharsets.ISO_8859_1);
  }
}
