package dev.turbocache.server.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a one-shot stream of known length (an upload, a remote-tier hit) into a body that can be
 * read several times, so it can be written to every tier. Small bodies stay on the heap; larger
 * ones go to a spool file, which keeps heap use bounded whatever the artifact size.
 */
public final class BodySpooler {
  private static final Logger LOG = LoggerFactory.getLogger(BodySpooler.class);
  private static final String SUFFIX = ".spool";

  private final Path directory;
  private final long heapThreshold;
  private final long maxBytes;

  /**
   * @param directory where spool files live; emptied of stale spool files now, since nothing can
   *     still hold one from a previous process
   * @param heapThreshold bodies up to this many bytes are kept on the heap
   * @param maxBytes larger bodies are refused before a byte is read
   */
  public BodySpooler(Path directory, long heapThreshold, long maxBytes) throws IOException {
    if (heapThreshold < 0 || heapThreshold > Integer.MAX_VALUE - 16 || maxBytes < 0) {
      throw new IllegalArgumentException("invalid spool limits");
    }
    this.directory = Files.createDirectories(directory);
    this.heapThreshold = heapThreshold;
    this.maxBytes = maxBytes;
    deleteStaleFiles();
  }

  public Path directory() {
    return directory;
  }

  /**
   * Reads exactly {@code length} bytes of {@code in}. The stream is not closed. Fails with {@link
   * IncompleteBodyException} when it ends early and leaves no file behind on any failure.
   */
  public ArtifactBody spool(InputStream in, long length) throws IOException {
    if (length < 0) {
      throw new IllegalArgumentException("length must be >= 0");
    }
    if (length > maxBytes) {
      throw new ArtifactTooLargeException(length, "the limit is " + maxBytes + " bytes");
    }
    if (length <= heapThreshold) {
      return new ArtifactBody.Bytes(BodyTransfer.readExactly(in, (int) length));
    }
    return spoolToFile(in, length);
  }

  /** Spools a one-shot body and closes it. */
  public ArtifactBody spool(ArtifactBody.Streamed body) throws IOException {
    try (body) {
      return spool(body.openStream(), body.size());
    }
  }

  private ArtifactBody spoolToFile(InputStream in, long length) throws IOException {
    Path file = Files.createTempFile(directory, "body-", SUFFIX);
    FileChannel channel = null;
    try {
      channel =
          FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
      BodyTransfer.copyExactly(in, length, channel, 0);
      return new ArtifactBody.FileRegion(channel, 0, length, () -> deleteQuietly(file));
    } catch (IOException | RuntimeException | Error e) {
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException closeFailure) {
          e.addSuppressed(closeFailure);
        }
      }
      deleteQuietly(file);
      throw e;
    }
  }

  private void deleteStaleFiles() throws IOException {
    try (DirectoryStream<Path> stale = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
      for (Path file : stale) {
        deleteQuietly(file);
      }
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException | UncheckedIOException e) {
      // A leftover spool file is reclaimed at the next start; not worth failing a request.
      LOG.warn("could not delete spool file {}: {}", file, e.toString());
    }
  }
}
