package dev.turbocache.server.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;

/**
 * Moves artifact bodies into files and heap arrays with an exact length check. Every path either
 * copies within the kernel (file to file) or through one fixed-size buffer, so heap use never
 * grows with the artifact size.
 */
public final class BodyTransfer {
  /** Large enough to amortise syscalls, small enough that many concurrent uploads stay cheap. */
  static final int BUFFER_SIZE = 64 * 1024;

  private BodyTransfer() {}

  /** Writes all of {@code body} into {@code target} starting at {@code position}. */
  public static void writeTo(ArtifactBody body, FileChannel target, long position)
      throws IOException {
    switch (body) {
      case ArtifactBody.Bytes bytes -> writeFully(target, bytes.buffer(), position);
      case ArtifactBody.FileRegion region -> transferRegion(region, target, position);
      case ArtifactBody.Streamed streamed ->
          copyExactly(streamed.openStream(), streamed.size(), target, position);
    }
  }

  /** The body as one heap array; only for bodies already known to be small. */
  public static byte[] toBytes(ArtifactBody body) throws IOException {
    if (body instanceof ArtifactBody.Bytes bytes) {
      return bytes.toArray();
    }
    if (body.size() > Integer.MAX_VALUE - 16) {
      throw new ArtifactTooLargeException(body.size(), "does not fit in a heap array");
    }
    return readExactly(body.openStream(), (int) body.size());
  }

  /** Reads exactly {@code length} bytes and checks that the stream ends there. */
  public static byte[] readExactly(InputStream in, int length) throws IOException {
    byte[] data = new byte[length];
    int n = in.readNBytes(data, 0, length);
    if (n < length) {
      throw new IncompleteBodyException(length, n);
    }
    requireEnd(in, length);
    return data;
  }

  /**
   * Copies exactly {@code length} bytes of {@code in} into {@code target} at {@code position}, and
   * fails when the stream is shorter or longer: a length mismatch means a broken or lying client,
   * and storing either would serve corrupt artifacts.
   */
  public static void copyExactly(InputStream in, long length, FileChannel target, long position)
      throws IOException {
    byte[] buffer = new byte[(int) Math.min(BUFFER_SIZE, Math.max(length, 1))];
    long copied = 0;
    while (copied < length) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, length - copied));
      if (n < 0) {
        throw new IncompleteBodyException(length, copied);
      }
      writeFully(target, ByteBuffer.wrap(buffer, 0, n), position + copied);
      copied += n;
    }
    requireEnd(in, length);
  }

  /** {@link #readExactly(InputStream, int)} for a channel. */
  public static byte[] readExactly(ReadableByteChannel in, int length) throws IOException {
    byte[] data = new byte[length];
    ByteBuffer buffer = ByteBuffer.wrap(data);
    while (buffer.hasRemaining()) {
      if (in.read(buffer) < 0) {
        throw new IncompleteBodyException(length, buffer.position());
      }
    }
    requireEnd(in, length);
    return data;
  }

  /**
   * {@link #copyExactly(InputStream, long, FileChannel, long)} for a channel, through one direct
   * buffer: socket to page cache with no copy on the heap.
   */
  public static void copyExactly(
      ReadableByteChannel in, long length, FileChannel target, long position) throws IOException {
    ByteBuffer buffer = DirectBuffers.acquire();
    try {
      long copied = 0;
      while (copied < length) {
        buffer.clear();
        if (buffer.remaining() > length - copied) {
          buffer.limit((int) (length - copied));
        }
        if (in.read(buffer) < 0) {
          throw new IncompleteBodyException(length, copied);
        }
        buffer.flip();
        int n = buffer.remaining();
        writeFully(target, buffer, position + copied);
        copied += n;
      }
    } finally {
      DirectBuffers.release(buffer);
    }
    requireEnd(in, length);
  }

  private static void requireEnd(ReadableByteChannel in, long length) throws IOException {
    if (in.read(ByteBuffer.allocate(1)) != -1) {
      throw new IOException("body is longer than the declared " + length + " bytes");
    }
  }

  private static void requireEnd(InputStream in, long length) throws IOException {
    if (in.read() != -1) {
      throw new IOException("body is longer than the declared " + length + " bytes");
    }
  }

  /** Writes all of {@code src} at {@code position}. */
  public static void writeFully(FileChannel target, ByteBuffer src, long position)
      throws IOException {
    long at = position;
    while (src.hasRemaining()) {
      at += target.write(src, at);
    }
  }

  private static void transferRegion(
      ArtifactBody.FileRegion region, FileChannel target, long position) throws IOException {
    // transferTo appends at the target's own position, so set it first.
    target.position(position);
    long done = 0;
    while (done < region.length()) {
      long n =
          region.channel().transferTo(region.offset() + done, region.length() - done, target);
      if (n <= 0) {
        throw new IncompleteBodyException(region.length(), done);
      }
      done += n;
    }
  }
}
