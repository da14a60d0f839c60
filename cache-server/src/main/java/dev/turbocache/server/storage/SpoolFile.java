package dev.turbocache.server.storage;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The file behind a spooled body. One file-based tier may take it over (write its header into the
 * room left before the body, then rename the file into place) instead of copying the body: a
 * large upload is then written to disk once. Only the first claim succeeds, because the header
 * written by the taker must not be overwritten by a second one.
 *
 * @param headerRoom bytes left free before the body for the taker's header
 */
public record SpoolFile(Path path, int headerRoom, AtomicBoolean claimed) {
  public SpoolFile(Path path, int headerRoom) {
    this(path, headerRoom, new AtomicBoolean());
  }

  /** True exactly once: the caller now owns the header room and may move the file. */
  public boolean claim() {
    return claimed.compareAndSet(false, true);
  }
}
