package dev.turbocache.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * SHA-256 digests of bearer tokens, as stored in the {@code sha256} field of the tokens file.
 * Tokens are only ever held and compared as digests, so the plain text of a token never needs to
 * outlive the request that presented it.
 */
public final class TokenDigest {
  /** Bytes in a SHA-256 digest. */
  public static final int LENGTH = 32;

  private static final HexFormat HEX = HexFormat.of();

  /**
   * One digest object per thread, reset after each use: MessageDigest is not thread-safe, and
   * looking one up in the security providers for every request cost more than the hashing.
   * Only the digest object is kept, never a token.
   */
  private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime must provide SHA-256", e);
    }
  });

  private TokenDigest() {}

  /** The digest of a token's UTF-8 bytes. */
  public static byte[] of(String token) {
    return sha256(token.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The lower-case hex digest of a token: the value to put in the tokens file instead of the token
   * itself.
   */
  public static String hexOf(String token) {
    return HEX.formatHex(of(token));
  }

  /**
   * Parses a hex digest (either case). Empty when it is not exactly 64 hex characters; callers
   * report that without echoing the value, which might be a token pasted into the wrong field.
   */
  public static Optional<byte[]> parseHex(String hex) {
    if (hex == null || hex.length() != LENGTH * 2) {
      return Optional.empty();
    }
    try {
      return Optional.of(HEX.parseHex(hex));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  static byte[] sha256(byte[] data) {
    // digest() resets the object for the next call.
    return SHA_256.get().digest(data);
  }
}
