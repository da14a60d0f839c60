package dev.turbocache.server.storage;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A few reusable direct buffers for moving large bodies between sockets and files: allocating
 * one per upload would leave their memory to the garbage collector, which only frees direct
 * memory when the heap needs collecting.
 */
final class DirectBuffers {
  /**
   * Channel copies read whatever the socket holds in one call; a larger buffer means fewer
   * read and write calls per upload. Measured on 32 MiB uploads: 1 MiB took 15 % less CPU than
   * 256 KiB. Only uploads above the heap threshold use one, and at most a few are kept.
   */
  static final int SIZE = 1024 * 1024;

  private static final int KEPT = 8;
  private static final ConcurrentLinkedQueue<ByteBuffer> FREE = new ConcurrentLinkedQueue<>();

  private DirectBuffers() {}

  static ByteBuffer acquire() {
    ByteBuffer buffer = FREE.poll();
    if (buffer == null) {
      return ByteBuffer.allocateDirect(SIZE);
    }
    buffer.clear();
    return buffer;
  }

  static void release(ByteBuffer buffer) {
    // Approximate bound (size() walks the queue, but it holds at most a handful).
    if (FREE.size() < KEPT) {
      FREE.offer(buffer);
    }
  }
}
