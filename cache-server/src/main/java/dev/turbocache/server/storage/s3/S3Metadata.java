package dev.turbocache.server.storage.s3;

import dev.turbocache.server.storage.ArtifactMetadata;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * Artifact metadata as S3 user metadata ({@code x-amz-meta-*}), so one PutObject or
 * CreateMultipartUpload stores body and metadata together and one GetObject or HeadObject returns
 * both.
 *
 * <p>HTTP headers only carry ASCII reliably and lose surrounding whitespace, and S3 itself answers
 * non-ASCII metadata in RFC 2047 form. Values that are not plain printable ASCII are therefore
 * written as {@code =?UTF-8?B?<base64>?=}, which is also what S3 would hand back, and decoded on
 * the way in. Turbo's values (base64 signature tag, hex hashes, CI vendor names) stay readable.
 */
final class S3Metadata {
  static final String SIZE = "size";
  static final String DURATION_MS = "duration-ms";
  static final String TAG = "tag";
  static final String SHA = "sha";
  static final String DIRTY_HASH = "dirty-hash";
  static final String CLIENT_CI = "client-ci";
  static final String CREATED_AT = "created-at";

  private static final String ENCODED_START = "=?UTF-8?B?";
  private static final String ENCODED_END = "?=";

  private S3Metadata() {}

  static Map<String, String> encode(ArtifactMetadata m) {
    Map<String, String> out = new HashMap<>();
    out.put(SIZE, Long.toString(m.size()));
    if (m.durationMs() != null) {
      out.put(DURATION_MS, m.durationMs().toString());
    }
    putText(out, TAG, m.tag());
    putText(out, SHA, m.sha());
    putText(out, DIRTY_HASH, m.dirtyHash());
    putText(out, CLIENT_CI, m.clientCi());
    if (m.createdAt() != null) {
      out.put(CREATED_AT, m.createdAt().toString());
    }
    return out;
  }

  /**
   * @param size the object's content length, which is authoritative over the recorded size
   * @param userMetadata as the SDK returns it: keys without {@code x-amz-meta-}, lowercased by S3
   */
  static ArtifactMetadata decode(long size, Map<String, String> userMetadata) {
    Map<String, String> m = lowerCaseKeys(userMetadata);
    return new ArtifactMetadata(
        size,
        parseLong(m.get(DURATION_MS)),
        text(m.get(TAG)),
        text(m.get(SHA)),
        text(m.get(DIRTY_HASH)),
        text(m.get(CLIENT_CI)),
        parseInstant(m.get(CREATED_AT)));
  }

  private static void putText(Map<String, String> out, String name, String value) {
    if (value != null) {
      out.put(name, isPlain(value) ? value : ENCODED_START
          + Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8))
          + ENCODED_END);
    }
  }

  /** Printable ASCII that survives a header round trip and cannot pass for an encoded value. */
  static boolean isPlain(String value) {
    if (value.startsWith("=?")) {
      return false;
    }
    if (!value.isEmpty() && (value.charAt(0) == ' ' || value.charAt(value.length() - 1) == ' ')) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        return false;
      }
    }
    return true;
  }

  private static String text(String stored) {
    if (stored != null && stored.startsWith(ENCODED_START) && stored.endsWith(ENCODED_END)
        && stored.length() >= ENCODED_START.length() + ENCODED_END.length()) {
      String base64 =
          stored.substring(ENCODED_START.length(), stored.length() - ENCODED_END.length());
      try {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return stored;
      }
    }
    return stored;
  }

  private static Map<String, String> lowerCaseKeys(Map<String, String> metadata) {
    Map<String, String> out = new HashMap<>();
    if (metadata != null) {
      metadata.forEach((k, v) -> out.put(k.toLowerCase(java.util.Locale.ROOT), v));
    }
    return out;
  }

  /** Objects written by other tools may carry anything: unreadable fields count as absent. */
  private static Long parseLong(String value) {
    if (value == null) {
      return null;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static Instant parseInstant(String value) {
    if (value == null) {
      return null;
    }
    try {
      return Instant.parse(value.trim());
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
