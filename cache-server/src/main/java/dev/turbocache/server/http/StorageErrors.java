package dev.turbocache.server.http;

import dev.turbocache.server.storage.ArtifactTooLargeException;
import dev.turbocache.server.storage.StorageFullException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a client is told when storage failed its request, the same on every route: 413 when no
 * tier takes the artifact's size, 507 when the disk is full (everything stored is still served),
 * 503 for anything else. Handlers let storage failures propagate; the {@link ErrorBoundary} and
 * the {@link RequestGate} turn them into answers here.
 */
public final class StorageErrors {
  private static final Logger LOG = LoggerFactory.getLogger(StorageErrors.class);
  private static final long FULL_WARNING_INTERVAL_NANOS = 10_000_000_000L;

  private final Counter storageFull;
  private final AtomicLong lastFullWarning =
      new AtomicLong(System.nanoTime() - FULL_WARNING_INTERVAL_NANOS - 1);

  public StorageErrors(MeterRegistry registry) {
    this.storageFull = UploadLimits.refusals("storage_full", registry);
  }

  /** The answer to a request that failed with {@code e}, logged as its kind deserves. */
  ApiError answer(IOException e) {
    if (e instanceof ArtifactTooLargeException) {
      return new ApiError(413, "artifact_too_large", e.getMessage());
    }
    if (StorageFullException.isFull(e)) {
      storageFull.increment();
      long now = System.nanoTime();
      long last = lastFullWarning.get();
      // A full disk refuses every upload; one line every few seconds says so.
      if (now - last > FULL_WARNING_INTERVAL_NANOS && lastFullWarning.compareAndSet(last, now)) {
        LOG.warn("uploads are refused with 507: storage is full ({})", e.getMessage());
      }
      return new ApiError(507, "storage_full",
          "the server's storage is full, so the artifact was not stored; stored artifacts are "
              + "still served");
    }
    LOG.warn("storage failed a request: {}", e.toString());
    return new ApiError(503, "storage_unavailable", "storage is unavailable; try again later");
  }
}
