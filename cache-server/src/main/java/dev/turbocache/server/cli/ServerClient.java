package dev.turbocache.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turbocache.server.http.Json;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The admin API of a running server, for the CLI. Every failure becomes a {@link CliException}
 * with an exit code and a message that says what to do about it; the token never appears in one.
 */
final class ServerClient {
  /** Largest upload body held in memory, so that it can be sent twice. */
  static final int RESENDABLE_BYTES = 1024 * 1024;

  private final URI base;
  private final String token;
  private final HttpClient http;

  ServerClient(String baseUrl, String token) {
    this.base = parse(baseUrl);
    this.token = token;
    this.http = CliHttpClient.create();
  }

  private static URI parse(String url) {
    try {
      URI uri = new URI(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
      if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
          || uri.getHost() == null) {
        throw new URISyntaxException(url, "expected http://host:port or https://host");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new CliException(ExitCodes.USAGE, "invalid --url '" + url + "': expected http://host:port");
    }
  }

  String baseUrl() {
    return base.toString();
  }

  <T> T getJson(String path, Class<T> type) {
    return parse(send(request(path).GET(), HttpResponse.BodyHandlers.ofByteArray()), type);
  }

  <T> T postJson(String path, Object body, Class<T> type) {
    byte[] json;
    try {
      json = Json.MAPPER.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return parse(send(request(path).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(json)), HttpResponse.BodyHandlers.ofByteArray()), type);
  }

  /** A streamed download; a 404 comes back as null so callers can skip a vanished artifact. */
  HttpResponse<InputStream> download(String path) {
    HttpResponse<InputStream> r = sendRaw(request(path).GET(), HttpResponse.BodyHandlers.ofInputStream());
    if (r.statusCode() == 404) {
      closeQuietly(r.body());
      return null;
    }
    if (r.statusCode() / 100 != 2) {
      byte[] body;
      try (InputStream in = r.body()) {
        body = in.readNBytes(64 * 1024);
      } catch (IOException e) {
        body = new byte[0];
      }
      throw failure(r.statusCode(), body);
    }
    return r;
  }

  /**
   * PUT of {@code length} bytes from {@code body}, which is read but not closed. A body of up to
   * {@link #RESENDABLE_BYTES} is read first, so that it can be sent again on a new connection
   * ({@link CliHttpClient}); a larger one is streamed, and sent once only: its stream cannot be
   * read again, and a second try would send other bytes under this path.
   */
  void upload(String path, Map<String, String> headers, Supplier<InputStream> body, long length)
      throws IOException {
    HttpRequest.Builder b = request(path)
        .header("Content-Type", "application/octet-stream")
        .PUT(length <= RESENDABLE_BYTES
            ? HttpRequest.BodyPublishers.ofByteArray(readFully(body.get(), (int) length))
            : HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofInputStream(once(body, path)), length));
    headers.forEach(b::header);
    send(b, HttpResponse.BodyHandlers.ofByteArray());
  }

  private static byte[] readFully(InputStream in, int length) throws IOException {
    byte[] bytes = in.readNBytes(length);
    if (bytes.length != length) {
      throw new EOFException("the body ended after " + bytes.length + " of " + length + " bytes");
    }
    return bytes;
  }

  /** {@code body} the first time; a stream that fails, naming {@code path}, after that. */
  private static Supplier<InputStream> once(Supplier<InputStream> body, String path) {
    AtomicBoolean used = new AtomicBoolean();
    return () -> used.getAndSet(true)
        ? new InputStream() {
            @Override
            public int read() throws IOException {
              throw new IOException("the connection closed before " + path + " was answered, "
                  + "and its body, streamed, cannot be sent a second time");
            }
          }
        : body.get();
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(base + path))
        .timeout(Duration.ofMinutes(10))
        .header("Authorization", "Bearer " + token);
  }

  private HttpResponse<byte[]> send(HttpRequest.Builder b, HttpResponse.BodyHandler<byte[]> handler) {
    HttpResponse<byte[]> r = sendRaw(b, handler);
    if (r.statusCode() / 100 != 2) {
      throw failure(r.statusCode(), r.body());
    }
    return r;
  }

  private <T> HttpResponse<T> sendRaw(HttpRequest.Builder b, HttpResponse.BodyHandler<T> handler) {
    HttpRequest request = b.build();
    try {
      return http.send(request, handler);
    } catch (ConnectException | HttpConnectTimeoutException e) {
      throw new CliException(ExitCodes.UNREACHABLE, "cannot connect to " + base
          + ": " + (e instanceof ConnectException ? "connection refused" : "timed out")
          + " (is the server running? set --url or TURBO_API)", e);
    } catch (HttpTimeoutException e) {
      throw new CliException(ExitCodes.UNREACHABLE, "no answer from " + base + " in time", e);
    } catch (IOException e) {
      Throwable root = rootCause(e);
      if (root instanceof UnknownHostException || root instanceof UnresolvedAddressException
          || root instanceof ConnectException) {
        throw new CliException(ExitCodes.UNREACHABLE, "cannot connect to " + base + ": "
            + (root instanceof ConnectException ? "connection refused" : "unknown host")
            + " (set --url or TURBO_API)", e);
      }
      throw new CliException(ExitCodes.FAILED, request.method() + " " + request.uri().getPath()
          + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(ExitCodes.FAILED, "interrupted", e);
    }
  }

  private static CliException failure(int status, byte[] body) {
    String message = errorMessage(body);
    return switch (status) {
      case 401 -> new CliException(ExitCodes.REFUSED,
          "the server refused the token (401 " + message + "): pass an admin token with --token or TURBO_TOKEN");
      case 403 -> new CliException(ExitCodes.REFUSED,
          "the token may not do this (403 " + message + "): use an admin token for the team(s) concerned");
      default -> new CliException(ExitCodes.FAILED, "the server answered " + status + ": " + message);
    };
  }

  /** The {@code error.message} of an error body, else its first bytes. */
  private static String errorMessage(byte[] body) {
    try {
      JsonNode node = Json.MAPPER.readTree(body);
      if (node != null && node.path("error").path("message").isTextual()) {
        return node.path("error").path("message").asText();
      }
    } catch (IOException e) {
      // not JSON: fall through
    }
    String text = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8);
    return text.isBlank() ? "(no body)" : text.strip();
  }

  private <T> T parse(HttpResponse<byte[]> r, Class<T> type) {
    try {
      return Json.MAPPER.readValue(r.body(), type);
    } catch (IOException e) {
      throw new CliException(ExitCodes.FAILED, "unexpected answer from " + r.uri() + ": " + e.getMessage(), e);
    }
  }

  private static Throwable rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }

  static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException ignored) {
      // nothing to do
    }
  }
}
