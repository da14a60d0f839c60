package dev.turbocache.server.storage.disk;

import dev.turbocache.server.artifact.ArtifactKey;
import dev.turbocache.server.artifact.ArtifactMetadata;
import dev.turbocache.server.storage.StoredHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * The on-disk form of one artifact version: {@code magic, header length, header JSON, body}. Body
 * and metadata share one file so a single rename replaces both, and the header repeats the key so
 * the index can be rebuilt from file contents alone (file names may lose case on some file
 * systems).
 */
final class ArtifactFile {
  static final String EXTENSION = ".art";

  /** "TCA1": guards against reading foreign files; bump the digit if the format changes. */
  private static final int MAGIC = 0x54434131;

  private static final int PREFIX = 8;
  private static final int MAX_HEADER = 64 * 1024;

  private ArtifactFile() {}

  /** What a valid file holds, apart from the body bytes themselves. */
  record Contents(ArtifactKey key, long version, ArtifactMetadata metadata, long bodyOffset) {}

  /**
   * {@code <root>/<team>/<first two hash chars>/<hash>.<version>.art}: the fan-out directory keeps
   * directories small, and the version in the name means a new version never overwrites (or gets
   * deleted along with) an older one.
   */
  static Path path(Path root, ArtifactKey key, long version) {
    String hash = key.hash();
    String fanOut = hash.length() >= 2 ? hash.substring(0, 2) : hash;
    return root.resolve(key.team())
        .resolve(fanOut)
        .resolve(hash + "." + Long.toHexString(version) + EXTENSION);
  }

  /** Magic, length and JSON header; the body follows at {@code result.length}. */
  static byte[] encodeHeader(ArtifactKey key, long version, ArtifactMetadata m) throws IOException {
    byte[] json = StoredHeader.of(key, version, m).toJson();
    return header(json, PREFIX + json.length);
  }

  /**
   * The header padded with JSON whitespace to exactly {@code room} bytes, for a file whose body
   * already sits at offset {@code room} (an adopted spool file); null when it does not fit.
   */
  static byte[] encodeHeader(ArtifactKey key, long version, ArtifactMetadata m, int room)
      throws IOException {
    byte[] json = StoredHeader.of(key, version, m).toJson();
    if (PREFIX + json.length > room || room - PREFIX > MAX_HEADER) {
      return null;
    }
    return header(json, room);
  }

  private static byte[] header(byte[] json, int size) {
    ByteBuffer header = ByteBuffer.allocate(size).putInt(MAGIC).putInt(size - PREFIX).put(json);
    while (header.hasRemaining()) {
      header.put((byte) ' ');
    }
    return header.array();
  }

  /** Reads and checks the header, including that the file holds the whole body. */
  static Contents read(FileChannel channel) throws IOException {
    ByteBuffer prefix = readAt(channel, 0, PREFIX);
    if (prefix.getInt() != MAGIC) {
      throw new CorruptArtifactException("not an artifact file");
    }
    int length = prefix.getInt();
    if (length <= 0 || length > MAX_HEADER) {
      throw new CorruptArtifactException("implausible header length " + length);
    }
    ByteBuffer json = readAt(channel, PREFIX, length);
    StoredHeader h;
    try {
      h = StoredHeader.parse(json.array(), 0, length);
    } catch (IOException e) {
      throw new CorruptArtifactException(e.getMessage());
    }
    if (h.version() == null) {
      throw new CorruptArtifactException("header without a version");
    }
    ArtifactMetadata metadata = h.metadata();
    long bodyOffset = PREFIX + length;
    if (channel.size() != bodyOffset + metadata.size()) {
      throw new CorruptArtifactException("file size does not match the recorded body size");
    }
    return new Contents(h.key(), h.version(), metadata, bodyOffset);
  }

  private static ByteBuffer readAt(FileChannel channel, long position, int length)
      throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, position + buffer.position()) < 0) {
        throw new CorruptArtifactException("truncated header");
      }
    }
    return buffer.flip();
  }

  /** A file in the artifact directory that is not a complete artifact. */
  static final class CorruptArtifactException extends IOException {
    CorruptArtifactException(String message) {
      super(message);
    }
  }
}
