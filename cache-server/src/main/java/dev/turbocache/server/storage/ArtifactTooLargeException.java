package dev.turbocache.server.storage;

import java.io.IOException;

/**
 * No store accepts an artifact of this size. Distinct from other I/O failures because the client
 * caused it (HTTP 413), not the server.
 */
public class ArtifactTooLargeException extends IOException {
  private final long size;

  public ArtifactTooLargeException(long size, String reason) {
    super("artifact of " + size + " bytes is too large: " + reason);
    this.size = size;
  }

  public long size() {
    return size;
  }
}
