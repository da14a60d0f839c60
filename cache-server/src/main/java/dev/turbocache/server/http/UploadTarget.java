package dev.turbocache.server.http;

import dev.turbocache.server.artifact.ArtifactKey;
import dev.turbocache.server.artifact.ArtifactMetadata;
import dev.turbocache.server.artifact.MetadataField;
import dev.turbocache.server.config.ByteSize;
import dev.turbocache.server.storage.ArtifactBody;
import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import java.util.Set;

/**
 * A route that takes an artifact body: the turbo upload and the admin import. The {@link
 * RequestGate} admits the upload, receives its body without holding a thread, and only then hands
 * it to {@link #store} on a worker.
 */
public interface UploadTarget {

  /** What is being uploaded; {@code metadata.size()} is the declared length. */
  record Upload(ArtifactKey key, ArtifactMetadata metadata) {

    /**
     * The upload {@code exchange} announces for {@code key}: its declared length, refused before
     * a byte is read when absent (411) or larger than {@code max} (413), and the metadata headers
     * of {@code fields} (400 when one is not a valid value).
     */
    public static Upload declared(HttpServerExchange exchange, ArtifactKey key, ByteSize max,
        Set<MetadataField> fields) {
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
      return new Upload(key, ArtifactHeaders.read(exchange.getRequestHeaders(), length, fields));
    }
  }

  /**
   * On the I/O thread, after the route's access check and before a byte of the body is read:
   * validates the request. Throws {@link ApiException} to refuse it.
   */
  Upload admit(HttpServerExchange exchange);

  /**
   * On a worker thread, with the whole body: stores it and answers. The caller closes the body;
   * the storage failures this throws become 413, 503 or 507 answers ({@link StorageErrors}).
   */
  void store(HttpServerExchange exchange, Upload upload, ArtifactBody body) throws IOException;
}
