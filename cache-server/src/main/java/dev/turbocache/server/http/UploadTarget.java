package dev.turbocache.server.http;

import dev.turbocache.server.artifact.ArtifactKey;
import dev.turbocache.server.artifact.ArtifactMetadata;
import dev.turbocache.server.artifact.MetadataField;
import dev.turbocache.server.config.ByteSize;
import dev.turbocache.server.storage.ArtifactBody;
import dev.turbocache.server.storage.ArtifactStore;
import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import java.util.Set;

/**
 * A route that takes an artifact body and stores it: the turbo upload and the admin import, which
 * differ only in the metadata headers they read and in their answer. The {@link RequestGate}
 * admits the upload on the I/O thread, receives its body without holding a thread, and only then
 * has it stored here: on a worker, or on the I/O thread when {@link #storesWithoutWaiting} says.
 */
public final class UploadTarget {
  /**
   * The largest body stored on the I/O thread that received it. A write of this size into the page
   * cache takes microseconds; the limit keeps a burst of larger uploads, which the kernel may
   * throttle while it writes back dirty pages, off the thread that serves other connections.
   */
  public static final int STORED_ON_IO_THREAD_MAX = 64 * 1024;

  /** What is being uploaded; {@code metadata.size()} is the declared length. */
  public record Upload(ArtifactKey key, ArtifactMetadata metadata) {}

  /**
   * How a route answers an upload once it is stored, on a worker or on the I/O thread: with a
   * sender that does not block ({@code exchange.getResponseSender()}), which works on both.
   */
  @FunctionalInterface
  public interface Answer {
    void stored(HttpServerExchange exchange, Upload upload) throws IOException;
  }

  private final ArtifactStore store;
  private final ByteSize maxArtifactSize;
  private final Set<MetadataField> headers;
  private final Answer answer;
  /** The store's answer, asked once: it is fixed by the tiers and their settings. */
  private final boolean putsWithoutWaiting;

  /**
   * @param maxArtifactSize larger uploads are refused before a byte is read
   * @param headers the metadata headers the route reads
   */
  public UploadTarget(ArtifactStore store, ByteSize maxArtifactSize, Set<MetadataField> headers,
      Answer answer) {
    this.store = store;
    this.maxArtifactSize = maxArtifactSize;
    this.headers = headers;
    this.answer = answer;
    this.putsWithoutWaiting = store.putsWithoutWaiting();
  }

  /**
   * On the I/O thread, after the route's access check and before a byte of the body is read: the
   * artifact of {@code {hash}}, its declared length, refused when absent (411) or too large (413),
   * and its metadata headers (400 when one is not a valid value).
   */
  Upload admit(HttpServerExchange exchange) {
    ArtifactKey key = PathParameters.artifactKey(exchange);
    long length = ContentLength.of(exchange);
    if (length == ContentLength.ABSENT) {
      throw new ApiException(new ApiError(411, "length_required",
          "Content-Length is required: uploads must declare their size"));
    }
    if (length > maxArtifactSize.bytes()) {
      throw new ApiException(new ApiError(413, "artifact_too_large",
          "artifact is " + length + " bytes; this server accepts at most " + maxArtifactSize
              + " (server.maxArtifactSize)"));
    }
    return new Upload(key, ArtifactHeaders.read(exchange.getRequestHeaders(), length, headers));
  }

  /**
   * Whether {@code body} can be stored on the I/O thread: it is on the heap, small, and every
   * tier writes it without waiting ({@link ArtifactStore#putsWithoutWaiting}: memory and disk
   * tiers without fsync; not a remote tier, a write-back queue or a synced disk).
   */
  boolean storesWithoutWaiting(ArtifactBody body) {
    return body instanceof ArtifactBody.Bytes && body.size() <= STORED_ON_IO_THREAD_MAX
        && putsWithoutWaiting;
  }

  /**
   * On a worker or, when {@link #storesWithoutWaiting}, on the I/O thread, with the whole body:
   * stores it and answers. The caller closes the body; the
   * storage failures this throws become 413, 503 or 507 answers ({@link StorageErrors}).
   */
  void store(HttpServerExchange exchange, Upload upload, ArtifactBody body) throws IOException {
    store.put(upload.key(), upload.metadata(), body);
    answer.stored(exchange, upload);
  }
}
