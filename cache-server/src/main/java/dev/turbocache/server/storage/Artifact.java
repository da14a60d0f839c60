package dev.turbocache.server.storage;

import dev.turbocache.server.artifact.ArtifactMetadata;
import java.io.Closeable;
import java.io.IOException;

/** A cache hit: metadata plus a body the caller must close. */
public record Artifact(ArtifactMetadata metadata, ArtifactBody body) implements Closeable {
  @Override
  public void close() throws IOException {
    body.close();
  }
}
