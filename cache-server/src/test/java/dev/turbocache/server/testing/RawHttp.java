package dev.turbocache.server.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Hand-written HTTP/1.1 for what java.net.http refuses to send: a wrong or missing
 * Content-Length, a chunked upload, a body cut off half way, a header octet above 0x7f (which
 * java.net.http sends as {@code ?}).
 */
public final class RawHttp {
  private RawHttp() {}

  /**
   * Sends {@code head} (request line and headers, CRLF separated, without the blank line) and
   * {@code body}; returns the raw response. Both are ISO-8859-1: each character of {@code head} up
   * to U+00FF is sent as that one octet, and each octet of the response is one character.
   */
  public static String exchange(int port, String head, byte[] body) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write((head + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.write(body);
      out.flush();
      return readAll(socket.getInputStream());
    }
  }

  /**
   * One PUT of {@code body} on its own connection, sent exactly once; returns the raw response
   * (empty when the server closed without one). java.net.http sends a request again, on a new
   * connection, when its connection closes before any byte of an answer: a GET always, a PUT with
   * the test JVMs' {@code jdk.httpclient.enableAllMethodRetry}, and on a fresh connection too. A
   * test that counts the requests the server received sends them here.
   */
  public static String putOnce(int port, String path, String token, byte[] body) throws IOException {
    return exchange(port, uploadHead(path, token, body.length), body);
  }

  /** Sends headers declaring {@code declaredLength} bytes, then only {@code sent}, then closes. */
  public static void truncatedUpload(int port, String path, String token, long declaredLength, byte[] sent)
      throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      OutputStream out = socket.getOutputStream();
      out.write((uploadHead(path, token, declaredLength) + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.write(sent);
      out.flush();
    }
  }

  /** An upload's request line and headers, without the blank line that ends them. */
  public static String uploadHead(String path, String token, long contentLength) {
    return "PUT " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
        + "\r\nContent-Type: application/octet-stream\r\nContent-Length: " + contentLength;
  }

  /** One response read off a raw connection. */
  public record Response(int status, byte[] body) {}

  /**
   * Sends {@code count} GETs one after another on ONE keep-alive connection and returns each
   * response; a server that closes the connection after a response, or sends more or fewer body
   * bytes than its Content-Length, fails this (the next response would not parse).
   */
  public static java.util.List<Response> keepAliveGets(int port, String path, String token, int count)
      throws IOException {
    java.util.List<Response> responses = new java.util.ArrayList<>();
    try (KeepAliveConnection connection = KeepAliveConnection.open(port)) {
      for (int i = 0; i < count; i++) {
        responses.add(connection.get(path, token));
      }
    }
    return responses;
  }

  /** A request's or response's head up to and with its blank line, or null if the stream ends first. */
  static String readHead(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0) {
      sb.append((char) c);
      if (sb.length() >= 4 && sb.substring(sb.length() - 4).equals("\r\n\r\n")) {
        return sb.toString();
      }
    }
    return null;
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
