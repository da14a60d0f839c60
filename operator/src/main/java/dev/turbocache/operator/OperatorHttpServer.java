package dev.turbocache.operator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** {@code /healthz/live}, {@code /healthz/ready} (informers healthy) and {@code /metrics} (Prometheus). */
public final class OperatorHttpServer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor;

  private OperatorHttpServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  public static OperatorHttpServer start(int port, Operator operator, PrometheusMeterRegistry registry) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
    server.createContext("/healthz/live", ex -> respond(ex, 200, "text/plain", "ok"));
    server.createContext(
        "/healthz/ready",
        ex -> {
          String problem = readinessProblem(operator);
          respond(ex, problem == null ? 200 : 503, "text/plain", problem == null ? "ok" : "not ready: " + problem);
        });
    server.createContext("/metrics", ex -> respond(ex, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
    ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "operator-http");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.start();
    return new OperatorHttpServer(server, executor);
  }

  /** Null when ready. Before start the runtime info has no event sources to ask (it would throw). */
  static String readinessProblem(Operator operator) {
    var info = operator.getRuntimeInfo();
    if (!info.isStarted()) {
      return "the operator has not started";
    }
    try {
      return info.allEventSourcesAreHealthy() ? null : "unhealthy event sources " + info.unhealthyEventSources();
    } catch (RuntimeException e) {
      return e.toString();
    }
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void respond(HttpExchange ex, int status, String contentType, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", contentType);
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
