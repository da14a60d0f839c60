package dev.turbocache.server.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;

/**
 * Outermost guard: whatever a handler throws becomes a JSON error body, never Undertow's HTML page
 * or a stack trace. A storage failure gets its status from {@link StorageErrors}; unexpected
 * failures are logged with the request id so a user's report can be matched to the log line; a
 * client that went away while being answered is only counted.
 */
public final class ErrorBoundary implements HttpHandler {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorBoundary.class);
  private final HttpHandler next;
  private final ClientAborts aborts;
  private final StorageErrors storageErrors;

  public ErrorBoundary(HttpHandler next, ClientAborts aborts, StorageErrors storageErrors) {
    this.next = next;
    this.aborts = aborts;
    this.storageErrors = storageErrors;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    try {
      next.handleRequest(exchange);
    } catch (ApiException e) {
      e.error().send(exchange);
    } catch (IOException e) {
      if (!exchange.isResponseStarted() && exchange.getConnection().isOpen()) {
        // Nothing was sent yet: the failure is the handler's work, storage, even when its
        // message speaks of a reset connection (one to Redis, say).
        storageErrors.answer(e).send(exchange);
      } else if (ClientAborts.isClientGone(exchange, e)) {
        aborts.count(exchange, ClientAborts.Phase.SEND, ClientAborts.Reason.CLOSED, e);
        exchange.setPersistent(false);
        IoUtils.safeClose(exchange.getConnection());
        exchange.endExchange();
      } else {
        failed(exchange, e);
      }
    } catch (Exception e) {
      failed(exchange, e);
    }
  }

  private static void failed(HttpServerExchange exchange, Exception e) {
    String id = RequestId.of(exchange);
    LOG.error("request {} {} failed (request id {})", exchange.getRequestMethod(),
        exchange.getRequestPath(), id, e);
    new ApiError(500, "internal_error", "internal server error (request id " + id + ")")
        .send(exchange);
  }
}
