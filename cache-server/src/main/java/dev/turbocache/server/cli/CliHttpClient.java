package dev.turbocache.server.cli;

import java.net.http.HttpClient;
import java.time.Duration;

/**
 * The HTTP client of the commands that talk to a server ({@code train} and the admin commands):
 * HTTP/1.1 over kept-alive connections, like turbo.
 *
 * <p>It sends a PUT or POST again, once, on a new connection, when its connection closed before
 * any byte of the answer came, as the JDK does for GET and HEAD (whether the connection was new
 * or reused). Such a connection was closed by the server or a proxy while idle (its keep-alive
 * timeout), or by the JDK client itself: JDK 25.0.3 now and then hands the answer of a reused
 * connection to its pool's idle watcher, which closes it ("Data received while in pool"), even on
 * a loopback server that answered. Sending again is safe for our requests: a PUT stores the same
 * bytes under the same hash, and the one POST ({@code gc}) purges by age, so a second purge
 * removes only what has reached that age since (and reports its own count). A streamed body,
 * which cannot be read twice, fails on the second try instead of being sent wrong ({@link
 * ServerClient#upload}).
 */
final class CliHttpClient {
  /** Read once, when the JDK's HTTP client sends its first request: set before that. */
  static final String RETRY_ALL_METHODS = "jdk.httpclient.enableAllMethodRetry";

  private CliHttpClient() {}

  static HttpClient create() {
    if (System.getProperty(RETRY_ALL_METHODS) == null) {
      System.setProperty(RETRY_ALL_METHODS, "true");
    }
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10))
        .build();
  }
}
