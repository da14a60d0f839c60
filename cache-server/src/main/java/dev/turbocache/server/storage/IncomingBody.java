package dev.turbocache.server.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A request body that arrives in pieces, as the client sends it: the reader (on an I/O thread)
 * fills {@link #buffer()} from the socket and calls {@link #commit()}, which on the file path
 * writes the bytes out. Nothing waits for the client here, so a slow or silent client costs
 * memory for what it sent, never a thread. Use from one thread at a time.
 */
public sealed interface IncomingBody extends Closeable
    permits IncomingBody.OnHeap, IncomingBody.Discarding, BodySpooler.ToFile {

  /**
   * Room for the next bytes. An empty buffer means the body already holds all it may: read
   * once more to see whether the client sends more.
   */
  ByteBuffer buffer() throws IOException;

  /** Takes the bytes read into {@link #buffer()}. A failure here is the server's, not the client's. */
  void commit() throws IOException;

  /** Gives back what is only needed while bytes flow (a direct buffer); the next call takes it again. */
  default void pause() {}

  /** Bytes committed so far. */
  long received();

  /** The whole body, once the client is done; the caller owns it from here. */
  ArtifactBody complete() throws IOException;

  /** Discards a body that was not completed. */
  @Override
  void close();

  /** Up to {@code capacity} bytes on the heap; memory grows with what arrives, not with what is announced. */
  static IncomingBody onHeap(int capacity) {
    return new OnHeap(capacity);
  }

  /** Reads and drops (a body a route does not use). */
  static IncomingBody discarding() {
    return new Discarding();
  }

  /** Heap bytes in one array that grows fourfold from 64 KiB up to the capacity. */
  final class OnHeap implements IncomingBody {
    private static final int FIRST = 64 * 1024;
    private final int capacity;
    private byte[] data = new byte[0];
    private int filled;
    private ByteBuffer window;

    private OnHeap(int capacity) {
      this.capacity = capacity;
    }

    @Override
    public ByteBuffer buffer() {
      if (window == null) {
        if (filled == data.length && data.length < capacity) {
          int size = (int) Math.min(capacity, Math.max(FIRST, (long) data.length * 4));
          data = Arrays.copyOf(data, size);
        }
        window = ByteBuffer.wrap(data, filled, data.length - filled);
      }
      return window;
    }

    @Override
    public void commit() {
      if (window != null) {
        filled = window.position();
        window = null;
      }
    }

    @Override
    public long received() {
      return filled;
    }

    @Override
    public ArtifactBody complete() {
      commit();
      return new ArtifactBody.Bytes(data, 0, filled);
    }

    @Override
    public void close() {
      data = null;
    }
  }

  /** Counts bytes into one small scratch buffer. */
  final class Discarding implements IncomingBody {
    private final ByteBuffer scratch = ByteBuffer.allocate(8192);
    private long received;

    private Discarding() {}

    @Override
    public ByteBuffer buffer() {
      return scratch;
    }

    @Override
    public void commit() {
      received += scratch.position();
      scratch.clear();
    }

    @Override
    public long received() {
      return received;
    }

    @Override
    public ArtifactBody complete() {
      commit();
      return new ArtifactBody.Bytes(new byte[0]);
    }

    @Override
    public void close() {}
  }
}
