package dev.turbocache.server.storage;

import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.util.Arrays;
import java.util.Objects;

/**
 * The bytes of an artifact in whichever form the tier holding them can hand out cheapest. The
 * HTTP layer picks the fastest way to send each form (heap buffer, file transfer, plain stream);
 * tiers that only need a stream call {@link #openStream()}.
 *
 * <p>A body must be closed by whoever obtained it: file-backed bodies hold an open channel, which
 * is what keeps a reader safe while a concurrent writer or eviction replaces the file.
 */
public sealed interface ArtifactBody extends Closeable
    permits ArtifactBody.Bytes, ArtifactBody.FileRegion, ArtifactBody.Streamed {

  long size();

  /**
   * Opens a fresh stream over the whole body. Bytes and FileRegion bodies can be opened more
   * than once (that is how one upload reaches several tiers); a Streamed body only once.
   */
  InputStream openStream() throws IOException;

  @Override
  default void close() throws IOException {}

  /**
   * A body held on the heap: small artifacts, memory-tier hits, Redis values (a slice of the
   * fetched value, so the body is not copied out of it).
   */
  record Bytes(byte[] data, int offset, int length) implements ArtifactBody {
    public Bytes {
      Objects.checkFromIndexSize(offset, length, data.length);
    }

    public Bytes(byte[] data) {
      this(data, 0, data.length);
    }

    @Override
    public long size() {
      return length;
    }

    @Override
    public InputStream openStream() {
      return new ByteArrayInputStream(data, offset, length);
    }

    /** A read-only view of the body: position at its first byte, limit after its last. */
    public ByteBuffer buffer() {
      return ByteBuffer.wrap(data, offset, length).asReadOnlyBuffer();
    }

    /** True when {@link #data()} is exactly the body (no surrounding bytes). */
    public boolean isWholeArray() {
      return offset == 0 && length == data.length;
    }

    /** The body as its own array: {@link #data()} itself when possible, else a copy. */
    public byte[] toArray() {
      return isWholeArray() ? data : Arrays.copyOfRange(data, offset, offset + length);
    }
  }

  /**
   * A slice of an open file: disk-tier hits and spooled uploads. Sent with a file transfer, so no
   * copy of the bytes passes through the heap.
   *
   * @param spool set when the file is a spool file a tier may take over instead of copying
   */
  record FileRegion(FileChannel channel, long offset, long length, Runnable onClose, SpoolFile spool)
      implements ArtifactBody {
    public FileRegion(FileChannel channel, long offset, long length, Runnable onClose) {
      this(channel, offset, length, onClose, null);
    }

    @Override
    public long size() {
      return length;
    }

    @Override
    public InputStream openStream() throws IOException {
      // A positional view: independent of other readers of the same channel.
      return Channels.newInputStream(new RegionReader(channel, offset, length));
    }

    @Override
    public void close() throws IOException {
      try {
        channel.close();
      } finally {
        if (onClose != null) {
          onClose.run();
        }
      }
    }
  }

  /** A body that can only be read once, such as a network stream from a remote tier. */
  record Streamed(InputStream stream, long length) implements ArtifactBody {
    @Override
    public long size() {
      return length;
    }

    @Override
    public InputStream openStream() {
      return stream;
    }

    @Override
    public void close() throws IOException {
      stream.close();
    }
  }
}
