package dev.turbocache.server.storage.writeback;

import dev.turbocache.server.artifact.ArtifactKey;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;

/** "Upload this key, not before {@code dueNanos}" (System.nanoTime based). */
record UploadTask(ArtifactKey key, long dueNanos) implements Delayed {
  @Override
  public long getDelay(TimeUnit unit) {
    return unit.convert(dueNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
  }

  @Override
  public int compareTo(Delayed other) {
    return Long.compare(dueNanos, ((UploadTask) other).dueNanos);
  }
}
