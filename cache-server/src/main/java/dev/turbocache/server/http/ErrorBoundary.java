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
    } catch (Exception e) {
      if (e instanceof IOException io && ClientAborts.isClientGone(exchange, io)) {
        aborts.count(exchange, ClientAborts.Phase.SEND, ClientAborts.Reason.CLOSED, io);
        exchange.setPersistent(false);
        IoUtils.safeClose(exchange.getConnection());
        exchange.endExchange();
        return;
      }
      if (e instanceof IOException io && !exchange.isResponseStarted()) {
        storageErrors.answer(io).send(exchange);
        return;
      }
      String id = RequestId.of(exchange);
      LOG.error("request {} {} failed (request id {})", exchange.getRequestMethod(),
          exchange.getRequestPath(), id, e);
      new ApiError(500, "internal_error", "internal server error (request id " + id + ")")
          .send(exchange);
    }
  }
}
