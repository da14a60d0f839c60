package dev.turbocache.server.storage.s3;

import dev.turbocache.server.storage.IncompleteBodyException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.http.ContentStreamProvider;

/** The stream adapters between artifact bodies and the SDK. */
final class S3Streams {
  private S3Streams() {}

  /**
   * Hands a one-shot body to the SDK once. The SDK asks again only to retry, and the bytes it
   * already read are gone; the second request fails instead of sending a wrong body. The failure
   * of the body itself (a client that disconnected) is kept, so the caller can report it as what
   * it is rather than as the SDK's wrapper.
   */
  static final class OneShotUpload implements ContentStreamProvider {
    private final ExactStream stream;
    private boolean handedOut;

    OneShotUpload(InputStream in, long length) {
      this.stream = new ExactStream(in, length);
    }

    @Override
    public synchronized InputStream newStream() {
      if (handedOut) {
        throw new NotResendable();
      }
      handedOut = true;
      return stream;
    }

    /** Why reading the body failed, or null. */
    IOException bodyFailure() {
      return stream.failure;
    }
  }

  /** The SDK asked for a one-shot body a second time (to retry). */
  static final class NotResendable extends IllegalStateException {
    NotResendable() {
      super("a streamed body cannot be sent twice");
    }
  }

  /**
   * Exactly {@code length} bytes of the body: fails with {@link IncompleteBodyException} when it
   * ends sooner. No mark/reset (the SDK would otherwise buffer it to retry), and closing it leaves
   * the body open: the body belongs to the caller.
   */
  private static final class ExactStream extends InputStream {
    private final InputStream in;
    private final long length;
    private long remaining;
    private volatile IOException failure;

    ExactStream(InputStream in, long length) {
      this.in = in;
      this.length = length;
      this.remaining = length;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (remaining == 0) {
        return -1;
      }
      if (len == 0) {
        return 0;
      }
      int n;
      try {
        n = in.read(b, off, (int) Math.min(len, remaining));
      } catch (IOException e) {
        failure = e;
        throw e;
      }
      if (n < 0) {
        IncompleteBodyException early = new IncompleteBodyException(length, length - remaining);
        failure = early;
        throw early;
      }
      remaining -= n;
      return n;
    }

    @Override
    public int available() throws IOException {
      return (int) Math.min(in.available(), remaining);
    }

    @Override
    public boolean markSupported() {
      return false;
    }

    @Override
    public void close() {
      // The caller owns the body.
    }
  }

  /**
   * A GetObject body. Closing it before the end aborts the connection: the SDK would otherwise
   * read the rest of a possibly huge object just to reuse the connection.
   */
  static final class Download extends FilterInputStream {
    private final ResponseInputStream<?> response;
    private long remaining;

    Download(ResponseInputStream<?> response, long length) {
      super(response);
      this.response = response;
      this.remaining = length;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        remaining--;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        remaining -= n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = super.skip(n);
      remaining -= skipped;
      return skipped;
    }

    @Override
    public boolean markSupported() {
      return false;
    }

    @Override
    public void close() throws IOException {
      if (remaining > 0) {
        response.abort();
      }
      super.close();
    }
  }
}
