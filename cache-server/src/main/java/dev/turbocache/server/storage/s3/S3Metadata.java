package dev.turbocache.server.storage.s3;

import dev.turbocache.server.artifact.ArtifactMetadata;
import dev.turbocache.server.artifact.MetadataField;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Locale;
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
  /** The recorded size; the object's content length is authoritative over it. */
  static final String SIZE = "size";

  private static final String ENCODED_START = "=?UTF-8?B?";
  private static final String ENCODED_END = "?=";

  /**
   * Each field's user-metadata name: its JSON name in lower case with hyphens ({@code durationMs}
   * is {@code duration-ms}), since S3 lower-cases metadata names.
   */
  private static final Map<MetadataField, String> NAMES = new EnumMap<>(MetadataField.class);

  static {
    for (MetadataField field : MetadataField.values()) {
      NAMES.put(field, field.jsonName().replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT));
    }
  }

  private S3Metadata() {}

  static Map<String, String> encode(ArtifactMetadata m) {
    Map<String, String> out = new HashMap<>();
    out.put(SIZE, Long.toString(m.size()));
    for (MetadataField field : MetadataField.values()) {
      putText(out, NAMES.get(field), field.text(m));
    }
    return out;
  }

  /**
   * @param size the object's content length, which is authoritative over the recorded size
   * @param userMetadata as the SDK returns it: keys without {@code x-amz-meta-}, lowercased by S3
   */
  static ArtifactMetadata decode(long size, Map<String, String> userMetadata) {
    Map<String, String> m = lowerCaseKeys(userMetadata);
    // Objects written by other tools may carry anything: unreadable fields count as absent.
    return ArtifactMetadata.fromText(size, field -> {
      String value = text(m.get(NAMES.get(field)));
      return value != null && field.accepts(value) ? value : null;
    });
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
      metadata.forEach((k, v) -> out.put(k.toLowerCase(Locale.ROOT), v));
    }
    return out;
  }
}
