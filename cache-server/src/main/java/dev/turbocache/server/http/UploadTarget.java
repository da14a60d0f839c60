package dev.turbocache.server.http;

import dev.turbocache.server.config.ByteSize;
import dev.turbocache.server.storage.ArtifactBody;
import dev.turbocache.server.storage.ArtifactKey;
import dev.turbocache.server.storage.ArtifactMetadata;
import io.undertow.server.HttpServerExchange;
import java.io.IOException;

/**
 * A route that takes an artifact body: the turbo upload and the admin import. The
 * {@link RequestGate} admits the upload, spools its body without holding a thread, and only then
 * hands it to {@link #store} on a worker.
 */
public interface UploadTarget {

  /** What is being uploaded; {@code metadata.size()} is the declared length. */
  record Upload(ArtifactKey key, ArtifactMetadata metadata) {}

  /**
   * On the I/O thread, after the route's access check and before a byte of the body is read:
   * validates the request. Throws {@link ApiException} to refuse it.
   */
  Upload admit(HttpServerExchange exchange);

  /**
   * On a worker thread, with the whole body: stores it and answers. The caller closes the body
   * and turns storage failures into 413, 503 or 507 answers.
   */
  void store(HttpServerExchange exchange, Upload upload, ArtifactBody body) throws IOException;

  /** The declared body length, refused before reading when absent (411) or too large (413). */
  static long declaredLength(HttpServerExchange exchange, ByteSize max) {
    long length = ContentLength.of(exchange);
    if (length == ContentLength.ABSENT) {
      throw new ApiException(new ApiError(411, "length_required",
          "Content-Length is required: uploads must declare their size"));
    }
    if (length > max.bytes()) {
      throw new ApiException(new ApiError(413, "artifact_too_large",
          "artifact is " + length + " bytes; this server accepts at most " + max
              + " (server.maxArtifactSize)"));
    }
    return length;
  }
}
