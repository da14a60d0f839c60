package dev.turbocache.server.http;

import dev.turbocache.server.storage.ArtifactBody;
import dev.turbocache.server.storage.ArtifactTooLargeException;
import dev.turbocache.server.storage.BodySpooler;
import dev.turbocache.server.storage.IncomingBody;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.BlockingHandler;
import io.undertow.util.AttachmentKey;
import io.undertow.util.Headers;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything a request goes through before its handler runs, all of it on the I/O thread that
 * parsed the request (but for a JWT whose signature is still to be checked, which is checked on
 * the guard's own threads) and none of it waiting on the client: the route's {@link Access} check,
 * the upload limits, and receiving the body as it arrives ({@link BodyReceiver}). Only a request
 * that is admitted and complete reaches a worker thread, so slow or silent clients, with or
 * without a token, never hold the threads other requests need. Refusals are answered at once
 * ({@link Refusal}), before the server reads a body it does not want; what of it arrives after the
 * answer is dropped.
 */
public final class RequestGate {
  private static final Logger LOG = LoggerFactory.getLogger(RequestGate.class);

  /** Largest body of a route that takes none (it is read and dropped) or takes JSON. */
  static final int SMALL_BODY_LIMIT = Json.MAX_REQUEST_BYTES;

  /** Longest a refused request's connection stays open while its unread body is read and dropped. */
  static final Duration MAX_LINGER = Duration.ofSeconds(5);

  private static final AttachmentKey<UploadTarget.Upload> UPLOAD =
      AttachmentKey.create(UploadTarget.Upload.class);
  private static final AttachmentKey<ArtifactBody> UPLOAD_BODY =
      AttachmentKey.create(ArtifactBody.class);

  private final AccessGuard guard;
  private final BodySpooler spooler;
  private final UploadLimits limits;
  private final Duration bodyReadTimeout;
  private final Refusal refusal;
  private final ClientAborts aborts;
  private final StorageErrors storageErrors;
  private final Counter serverBusy;
  private final Counter clientBusy;

  public RequestGate(AccessGuard guard, BodySpooler spooler, UploadLimits limits,
      Duration bodyReadTimeout, ClientAborts aborts, StorageErrors storageErrors,
      MeterRegistry registry) {
    this.guard = guard;
    this.spooler = spooler;
    this.limits = limits;
    this.bodyReadTimeout = bodyReadTimeout;
    this.refusal = new Refusal(bodyReadTimeout.compareTo(MAX_LINGER) < 0 ? bodyReadTimeout : MAX_LINGER);
    this.aborts = aborts;
    this.storageErrors = storageErrors;
    this.serverBusy = UploadLimits.refusals("server_busy", registry);
    this.clientBusy = UploadLimits.refusals("client_busy", registry);
  }

  /** The router's handler for a route served as {@code handling} says. */
  public HttpHandler handlerFor(Handling handling) {
    return switch (handling.kind()) {
      case IO_THREAD -> {
        ErrorBoundary run = new ErrorBoundary(handling.handler(), aborts, storageErrors);
        // Without a body it runs right here; after one, as a task of the same I/O thread.
        yield admitted(handling.access(), exchange -> afterBody(exchange, IncomingBody::discarding,
            body -> {
              if (body == null) {
                run.handleRequest(exchange);
              } else {
                exchange.dispatch(exchange.getIoThread(), run);
              }
            }));
      }
      case WORKER -> {
        HttpHandler run = onWorker(handling.handler());
        yield admitted(handling.access(), exchange ->
            afterBody(exchange, IncomingBody::discarding, body -> exchange.dispatch(run)));
      }
      case JSON_BODY -> {
        HttpHandler run = onWorker(handling.handler());
        yield admitted(handling.access(), exchange -> afterBody(exchange,
            () -> IncomingBody.onHeap(SMALL_BODY_LIMIT), body -> {
              if (body != null) {
                exchange.putAttachment(Json.REQUEST_BODY, (ArtifactBody.Bytes) body);
              }
              exchange.dispatch(run);
            }));
      }
      case UPLOAD -> {
        UploadTarget target = handling.upload();
        HttpHandler here = new ErrorBoundary(exchange -> store(exchange, target), aborts, storageErrors);
        HttpHandler onWorker = new BlockingHandler(here);
        yield admitted(handling.access(), exchange -> upload(exchange, target, onWorker, here));
      }
    };
  }

  /** A handler that answers every request with {@code error} (unknown routes and methods). */
  public HttpHandler refusing(Function<HttpServerExchange, ApiError> error) {
    return exchange -> refusal.send(exchange, error.apply(exchange));
  }

  /**
   * {@code next} once {@code access} admits the request, checked here on the I/O thread; a check
   * that must wait ({@link AccessGuard.CheckOffIoThread}) runs again on the guard's {@link
   * AccessGuard#slowChecks}, and the request comes back to its I/O thread for {@code next}.
   */
  private HttpHandler admitted(Access access, HttpHandler next) {
    HttpHandler afterCheck = answeringFailures(next);
    return exchange -> {
      ApiError refused;
      try {
        refused = refusalOf(access, exchange);
      } catch (AccessGuard.CheckOffIoThread later) {
        exchange.dispatch(guard.slowChecks(), offIoThread -> {
          ApiError refusedThere = refusalOf(access, offIoThread);
          offIoThread.dispatch(offIoThread.getIoThread(),
              onIoThread -> proceed(onIoThread, refusedThere, afterCheck));
        });
        return;
      }
      proceed(exchange, refused, afterCheck);
    };
  }

  /** Why {@code access} refuses the request, or null when it admits it. */
  private ApiError refusalOf(Access access, HttpServerExchange exchange) {
    try {
      access.check(exchange, guard);
      return null;
    } catch (AccessGuard.CheckOffIoThread later) {
      throw later;
    } catch (Exception e) {
      return errorOf(exchange, e);
    }
  }

  private void proceed(HttpServerExchange exchange, ApiError refused, HttpHandler next) throws Exception {
    if (refused == null) {
      next.handleRequest(exchange);
    } else {
      refusal.send(exchange, refused);
    }
  }

  /** {@code handler}, with what it throws answered as a refusal. */
  private HttpHandler answeringFailures(HttpHandler handler) {
    return exchange -> {
      try {
        handler.handleRequest(exchange);
      } catch (Exception e) {
        refusal.send(exchange, errorOf(exchange, e));
      }
    };
  }

  /** The answer to a failure before the route's handler ran: the refusal it names, else a 500. */
  private static ApiError errorOf(HttpServerExchange exchange, Exception e) {
    if (e instanceof ApiException refused) {
      return refused.error();
    }
    String id = RequestId.of(exchange);
    LOG.error("request {} {} failed before its handler ran (request id {})",
        exchange.getRequestMethod(), exchange.getRequestPath(), id, e);
    return new ApiError(500, "internal_error", "internal server error (request id " + id + ")");
  }

  private HttpHandler onWorker(HttpHandler handler) {
    return new BlockingHandler(new ErrorBoundary(handler, aborts, storageErrors));
  }

  /**
   * Runs {@code then} once the request's small body (JSON, or one the route drops) is in: at once
   * with null when the request has none, else with the body once it has arrived.
   */
  private void afterBody(HttpServerExchange exchange, Supplier<IncomingBody> into,
      Consumer<ArtifactBody> then) {
    if (exchange.isRequestComplete()) {
      then.accept(null);
      return;
    }
    long declared = ContentLength.of(exchange);
    if (declared > SMALL_BODY_LIMIT) {
      throw ApiException.badRequest("request body too large (limit " + SMALL_BODY_LIMIT + " bytes)");
    }
    BodyReceiver.start(exchange, into.get(), declared, SMALL_BODY_LIMIT, bodyReadTimeout, refusal,
        new Receiving() {
          @Override
          public void received(HttpServerExchange ex, ArtifactBody body) {
            then.accept(body);
          }
        });
  }

  /**
   * Admits the upload, receives its body and has it stored by {@code onWorker}, or by
   * {@code onIoThread} as a task of the receiving I/O thread when the target stores that body
   * without waiting.
   */
  private void upload(HttpServerExchange exchange, UploadTarget target, HttpHandler onWorker,
      HttpHandler onIoThread) {
    UploadTarget.Upload upload = target.admit(exchange);
    InetSocketAddress client = exchange.getSourceAddress();
    switch (limits.tryAcquire(client)) {
      case SERVER_BUSY -> throw busy(exchange, serverBusy, new ApiError(503, "server_busy",
          "the server is receiving as many uploads as it takes (server.maxConcurrentUploads); "
              + "try again shortly"));
      case CLIENT_BUSY -> throw busy(exchange, clientBusy, new ApiError(429, "too_many_uploads",
          "this client address has as many uploads in progress as it may "
              + "(server.maxConcurrentUploadsPerClient); try again shortly"));
      case ADMITTED -> exchange.addExchangeCompleteListener((ex, next) -> {
        limits.release(client);
        next.proceed();
      });
    }
    long length = upload.metadata().size();
    IncomingBody incoming;
    try {
      incoming = spooler.receive(length);
    } catch (ArtifactTooLargeException e) {
      throw new ApiException(storageErrors.answer(e));
    }
    exchange.putAttachment(UPLOAD, upload);
    BodyReceiver.start(exchange, incoming, length, length, bodyReadTimeout, refusal,
        new Receiving() {
          @Override
          public void received(HttpServerExchange ex, ArtifactBody body) {
            ex.putAttachment(UPLOAD_BODY, body);
            ex.addExchangeCompleteListener((done, next) -> {
              closeQuietly(done.removeAttachment(UPLOAD_BODY));
              next.proceed();
            });
            if (target.storesWithoutWaiting(body)) {
              ex.dispatch(ex.getIoThread(), onIoThread);
            } else {
              ex.dispatch(onWorker);
            }
          }
        });
  }

  /** An upload refused for want of a slot: counted, and the client told when to try again. */
  private static ApiException busy(HttpServerExchange exchange, Counter refused, ApiError error) {
    refused.increment();
    exchange.getResponseHeaders().put(Headers.RETRY_AFTER, "1");
    return new ApiException(error);
  }

  /**
   * Hands the complete body to the route, on a worker or the I/O thread; the error boundary
   * answers failures.
   */
  private void store(HttpServerExchange exchange, UploadTarget target) throws IOException {
    ArtifactBody body = exchange.removeAttachment(UPLOAD_BODY);
    try (body) {
      target.store(exchange, exchange.getAttachment(UPLOAD), body);
    }
  }

  private static void closeQuietly(ArtifactBody body) {
    if (body == null) {
      return;
    }
    try {
      body.close();
    } catch (IOException e) {
      LOG.debug("closing an upload body failed: {}", e.toString());
    }
  }

  /** The outcomes every body shares: storage failures and clients that went away. */
  private abstract class Receiving implements BodyReceiver.Outcome {
    @Override
    public void failed(HttpServerExchange exchange, IOException e) {
      refusal.send(exchange, storageErrors.answer(e));
    }

    @Override
    public void abandoned(HttpServerExchange exchange, boolean timedOut) {
      aborts.count(exchange, ClientAborts.Phase.RECEIVE,
          timedOut ? ClientAborts.Reason.TIMEOUT : ClientAborts.Reason.CLOSED, null);
    }
  }
}
