package dev.turbocache.server.storage;

import dev.turbocache.server.artifact.ArtifactKey;
import dev.turbocache.server.artifact.ArtifactMetadata;
import java.io.IOException;

/**
 * The base of every tier: the checks each put starts with, in one place. A body whose size
 * differs from its metadata is the caller's bug. An artifact larger than the tier keeps is
 * refused with {@link ArtifactTooLargeException} after the tier's older version of the key is
 * dropped, since that version would otherwise keep answering for the key.
 */
public abstract class SizeLimitedStore implements ArtifactStore {
  private final long maxArtifactSize;

  /** @param maxArtifactSize the largest artifact the tier keeps (its own limit) */
  protected SizeLimitedStore(long maxArtifactSize) {
    this.maxArtifactSize = maxArtifactSize;
  }

  /** The largest artifact this tier keeps, as configured; {@link #admits} may add limits. */
  protected final long maxArtifactSize() {
    return maxArtifactSize;
  }

  /** Stores an artifact the tier admits; the body's size matches its metadata. */
  protected abstract void store(ArtifactKey key, ArtifactMetadata metadata, ArtifactBody body)
      throws IOException;

  @Override
  public final void put(ArtifactKey key, ArtifactMetadata metadata, ArtifactBody body)
      throws IOException {
    requireMatchingSizes(metadata, body);
    if (!admits(body.size())) {
      IOException tooLarge = new ArtifactTooLargeException(body.size(),
          "the " + name() + " tier keeps at most " + maxArtifactSize() + " bytes per artifact");
      try {
        delete(key);
      } catch (IOException | RuntimeException e) {
        tooLarge.addSuppressed(e);
      }
      throw tooLarge;
    }
    store(key, metadata, body);
  }

  /** Every store's precondition of a put. */
  static void requireMatchingSizes(ArtifactMetadata metadata, ArtifactBody body) {
    if (body.size() != metadata.size()) {
      throw new IllegalArgumentException("body size differs from metadata size");
    }
  }
}
