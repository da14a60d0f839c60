package dev.turbocache.server.storage.redis;

import dev.turbocache.server.artifact.ArtifactKey;
import dev.turbocache.server.artifact.ArtifactMetadata;
import dev.turbocache.server.storage.ArtifactBody;
import dev.turbocache.server.storage.IncompleteBodyException;
import dev.turbocache.server.storage.StoredHeader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * The Redis form of one artifact: a single binary string {@code magic, metadata length, metadata
 * JSON, body}. Body and metadata share one value so one {@code SET} replaces both atomically, and
 * the header sits in front so {@code GETRANGE 0 n} reads the metadata without the body.
 *
 * <p>The header repeats team and hash: a value found under a key it does not name (another
 * server's prefix that happens to overlap ours) is then not mistaken for ours.
 */
final class RedisValue {

  /** "TCR1": guards against foreign values under our prefix; bump the digit if the format changes. */
  static final int MAGIC = 0x54435231;

  /** Magic plus the metadata length. */
  static final int PREFIX = 8;

  /** Metadata larger than this is refused on write and treated as corrupt on read. */
  static final int MAX_METADATA = 16 * 1024;

  /**
   * How much a header read asks for first. Typical metadata (a signature tag, a git sha, a
   * timestamp) is a few hundred bytes, so one GETRANGE usually suffices; a longer header costs a
   * second, exactly sized one.
   */
  static final int HEADER_PROBE = 1024;

  private RedisValue() {}

  /** A value whose header could not be read as ours. */
  static final class CorruptValueException extends IOException {
    CorruptValueException(String message) {
      super(message);
    }
  }

  /** A parsed header: the metadata and where the body starts. */
  record Parsed(ArtifactMetadata metadata, int bodyOffset) {}

  /** The whole value: header followed by the body, read into one array sized up front. */
  static byte[] encode(ArtifactKey key, ArtifactMetadata m, ArtifactBody body) throws IOException {
    byte[] json = StoredHeader.of(key, null, m).toJson();
    if (json.length > MAX_METADATA) {
      throw new IOException(
          "artifact metadata of " + json.length + " bytes exceeds the redis tier's limit of "
              + MAX_METADATA);
    }
    long total = (long) PREFIX + json.length + body.size();
    if (total > Integer.MAX_VALUE - 16) {
      throw new IOException("artifact does not fit in one redis value");
    }
    byte[] value = new byte[(int) total];
    ByteBuffer.wrap(value).putInt(MAGIC).putInt(json.length).put(json);
    int offset = PREFIX + json.length;
    int length = (int) body.size();
    if (body instanceof ArtifactBody.Bytes bytes) {
      System.arraycopy(bytes.data(), bytes.offset(), value, offset, length);
    } else {
      // The stream stays open: it belongs to the caller's body (see BodyTransfer).
      InputStream in = body.openStream();
      int n = in.readNBytes(value, offset, length);
      if (n < length) {
        throw new IncompleteBodyException(length, n);
      }
      if (in.read() != -1) {
        throw new IOException("body is longer than the declared " + length + " bytes");
      }
    }
    return value;
  }

  /**
   * The length of the whole header (prefix plus JSON) of a value starting with {@code start}, which
   * must hold at least {@link #PREFIX} bytes.
   */
  static int headerLength(byte[] start) throws CorruptValueException {
    if (start.length < PREFIX) {
      throw new CorruptValueException("value too short for a header");
    }
    ByteBuffer buffer = ByteBuffer.wrap(start);
    if (buffer.getInt() != MAGIC) {
      throw new CorruptValueException("not a turbocache value");
    }
    int length = buffer.getInt();
    if (length <= 0 || length > MAX_METADATA) {
      throw new CorruptValueException("implausible metadata length " + length);
    }
    return PREFIX + length;
  }

  /**
   * Parses the header at the start of {@code value} (a whole value or a prefix of one holding at
   * least {@link #headerLength} bytes) and checks that it names {@code key}.
   */
  static Parsed parse(ArtifactKey key, byte[] value) throws CorruptValueException {
    int headerLength = headerLength(value);
    if (value.length < headerLength) {
      throw new CorruptValueException("truncated header");
    }
    StoredHeader h;
    try {
      h = StoredHeader.parse(value, PREFIX, headerLength - PREFIX);
    } catch (IOException e) {
      throw new CorruptValueException(e.getMessage());
    }
    if (!key.equals(h.key())) {
      throw new CorruptValueException("value belongs to another key");
    }
    return new Parsed(h.metadata(), headerLength);
  }
}
