package dev.turbocache.server.storage.disk;

import dev.turbocache.server.artifact.ArtifactKey;
import dev.turbocache.server.artifact.ArtifactMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a disk-tier file the way another tool could, with metadata no upload could carry: the
 * layout and header are {@link ArtifactFile}'s, so a test that starts a server on the directory
 * follows the format when it changes.
 */
public final class ForeignArtifactFile {
  private ForeignArtifactFile() {}

  /** Writes {@code body} as version {@code version} of {@code key} under the disk tier's {@code root}. */
  public static void write(Path root, ArtifactKey key, long version, ArtifactMetadata metadata, byte[] body)
      throws IOException {
    Path file = ArtifactFile.path(root, key, version);
    Files.createDirectories(file.getParent());
    byte[] header = ArtifactFile.encodeHeader(key, version, metadata);
    byte[] contents = new byte[header.length + body.length];
    System.arraycopy(header, 0, contents, 0, header.length);
    System.arraycopy(body, 0, contents, header.length, body.length);
    Files.write(file, contents);
  }
}
