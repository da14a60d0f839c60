package dev.turbocache.server.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;

/**
 * Reads {@code length} bytes of a file channel starting at {@code offset} with positional reads,
 * so several readers can share one channel without fighting over its position.
 */
final class RegionReader implements ReadableByteChannel {
  private final FileChannel channel;
  private final long end;
  private long position;
  private boolean open = true;

  RegionReader(FileChannel channel, long offset, long length) {
    this.channel = channel;
    this.position = offset;
    this.end = offset + length;
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    long remaining = end - position;
    if (remaining <= 0) {
      return -1;
    }
    int limit = dst.limit();
    if (dst.remaining() > remaining) {
      dst.limit(dst.position() + (int) remaining);
    }
    try {
      int n = channel.read(dst, position);
      if (n < 0) {
        throw new IOException("file shorter than its recorded size");
      }
      position += n;
      return n;
    } finally {
      dst.limit(limit);
    }
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public void close() {
    // The channel belongs to the FileRegion; closing one stream must not close it for others.
    open = false;
  }
}
