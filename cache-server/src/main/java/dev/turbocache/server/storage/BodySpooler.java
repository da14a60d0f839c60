package dev.turbocache.server.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
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

  /**
   * Free bytes before a spooled body: room for a disk-tier header (key, metadata, a tag of up to
   * 600 characters fit in well under 2 KiB), and one page, so the body stays page-aligned.
   */
  public static final int HEADER_ROOM = 4096;

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
    if (onHeap(length)) {
      return new ArtifactBody.Bytes(BodyTransfer.readExactly(in, (int) length));
    }
    return spoolToFile(length, (file, at) -> BodyTransfer.copyExactly(in, length, file, at));
  }

  /**
   * The same for a channel (an upload): a large body moves from the socket to the spool file
   * through one direct buffer, never through the heap.
   */
  public ArtifactBody spool(ReadableByteChannel in, long length) throws IOException {
    if (onHeap(length)) {
      return new ArtifactBody.Bytes(BodyTransfer.readExactly(in, (int) length));
    }
    return spoolToFile(length, (file, at) -> BodyTransfer.copyExactly(in, length, file, at));
  }

  /**
   * Starts receiving a body of {@code length} bytes that arrives in pieces (an upload read off
   * the socket as the client sends it): on the heap up to the heap threshold, else into a spool
   * file through a direct buffer taken only while bytes flow. The limits are checked now.
   */
  public IncomingBody receive(long length) throws ArtifactTooLargeException {
    return onHeap(length) ? IncomingBody.onHeap((int) length) : new ToFile(length);
  }

  /** An upload on its way into a spool file. */
  final class ToFile implements IncomingBody {
    private final long length;
    private Path file;
    private FileChannel channel;
    private ByteBuffer buffer;
    private long written;
    private boolean completed;

    private ToFile(long length) {
      this.length = length;
    }

    @Override
    public ByteBuffer buffer() throws IOException {
      if (channel == null) {
        open();
      }
      if (buffer == null) {
        buffer = DirectBuffers.acquire();
        buffer.limit((int) Math.min(buffer.capacity(), length - written));
      }
      return buffer;
    }

    private void open() throws IOException {
      try {
        file = Files.createTempFile(directory, "body-", SUFFIX);
        channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
      } catch (IOException e) {
        throw StorageFullException.classify("spool directory " + directory, e);
      }
    }

    @Override
    public void commit() throws IOException {
      if (buffer == null || buffer.position() == 0) {
        return;
      }
      buffer.flip();
      int n = buffer.remaining();
      try {
        BodyTransfer.writeFully(channel, buffer, HEADER_ROOM + written);
      } catch (IOException e) {
        throw StorageFullException.classify("spool directory " + directory, e);
      }
      written += n;
      buffer.clear();
      buffer.limit((int) Math.min(buffer.capacity(), length - written));
    }

    @Override
    public void pause() {
      if (buffer != null && buffer.position() == 0) {
        DirectBuffers.release(buffer);
        buffer = null;
      }
    }

    @Override
    public long received() {
      return written;
    }

    @Override
    public ArtifactBody complete() throws IOException {
      commit();
      pause();
      if (written != length) {
        throw new IncompleteBodyException(length, written);
      }
      if (channel == null) {
        open();
      }
      completed = true;
      Path spooled = file;
      return new ArtifactBody.FileRegion(channel, HEADER_ROOM, length, () -> deleteQuietly(spooled),
          new SpoolFile(spooled, HEADER_ROOM));
    }

    @Override
    public void close() {
      if (buffer != null) {
        DirectBuffers.release(buffer);
        buffer = null;
      }
      if (completed) {
        return;
      }
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException e) {
          LOG.debug("closing an abandoned spool file failed: {}", e.toString());
        }
      }
      if (file != null) {
        deleteQuietly(file);
      }
    }
  }

  /** Spools a one-shot body and closes it. */
  public ArtifactBody spool(ArtifactBody.Streamed body) throws IOException {
    try (body) {
      return spool(body.openStream(), body.size());
    }
  }

  /** Checks the limits; true when the body is small enough to keep on the heap. */
  private boolean onHeap(long length) throws ArtifactTooLargeException {
    if (length < 0) {
      throw new IllegalArgumentException("length must be >= 0");
    }
    if (length > maxBytes) {
      throw new ArtifactTooLargeException(length, "the limit is " + maxBytes + " bytes");
    }
    return length <= heapThreshold;
  }

  /** Fills a spool file with the body, starting at the given position. */
  private interface Filler {
    void fill(FileChannel file, long position) throws IOException;
  }

  /**
   * The body goes after {@link #HEADER_ROOM} free bytes, so the disk tier can write its header
   * there and rename the file into place (see {@link SpoolFile}).
   */
  private ArtifactBody spoolToFile(long length, Filler filler) throws IOException {
    Path file;
    try {
      file = Files.createTempFile(directory, "body-", SUFFIX);
    } catch (IOException e) {
      throw StorageFullException.classify("spool directory " + directory, e);
    }
    FileChannel channel = null;
    try {
      channel =
          FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
      filler.fill(channel, HEADER_ROOM);
      return new ArtifactBody.FileRegion(channel, HEADER_ROOM, length, () -> deleteQuietly(file),
          new SpoolFile(file, HEADER_ROOM));
    } catch (IOException e) {
      closeAndDelete(channel, file, e);
      throw StorageFullException.classify("spool directory " + directory, e);
    } catch (RuntimeException | Error e) {
      closeAndDelete(channel, file, e);
      throw e;
    }
  }

  private static void closeAndDelete(FileChannel channel, Path file, Throwable failure) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException closeFailure) {
        failure.addSuppressed(closeFailure);
      }
    }
    deleteQuietly(file);
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
