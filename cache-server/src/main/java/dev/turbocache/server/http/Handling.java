package dev.turbocache.server.http;

import io.undertow.server.HttpHandler;

/**
 * How the {@link RequestGate} serves one route: its {@link Access}, and where its handler runs
 * once the request is admitted and its body (if any) has arrived.
 */
public record Handling(Access access, Kind kind, HttpHandler handler, UploadTarget upload) {

  public enum Kind {
    /** Never blocks: runs on the I/O thread that parsed the request. */
    IO_THREAD,
    /** May block on storage: runs on a worker thread. */
    WORKER,
    /** A small JSON body is received first ({@link Json#read}), then the handler runs on a worker. */
    JSON_BODY,
    /** An artifact body is spooled first, then stored on a worker. */
    UPLOAD
  }

  public static Handling ioThread(Access access, HttpHandler handler) {
    return new Handling(access, Kind.IO_THREAD, handler, null);
  }

  public static Handling worker(Access access, HttpHandler handler) {
    return new Handling(access, Kind.WORKER, handler, null);
  }

  public static Handling jsonBody(Access access, HttpHandler handler) {
    return new Handling(access, Kind.JSON_BODY, handler, null);
  }

  public static Handling upload(Access access, UploadTarget target) {
    return new Handling(access, Kind.UPLOAD, null, target);
  }
}
