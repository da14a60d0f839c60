package dev.turbocache.server.http;

import dev.turbocache.server.artifact.ArtifactMetadata;
import dev.turbocache.server.artifact.MetadataField;
import io.undertow.util.HeaderMap;
import io.undertow.util.HttpString;
import java.time.Instant;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Artifact metadata to and from its {@code x-artifact-*} headers ({@link MetadataField} names
 * them). An upload's headers are checked before a byte of its body is read. Text values are
 * printable ASCII both ways: an upload with any other octet is refused, and a stored value that
 * is not (one a tier read from a blob another tool wrote) is not sent, since Undertow writes a
 * header character as its low byte and would send other octets than the ones stored.
 */
public final class ArtifactHeaders {
  /** What turbo sends with an upload. */
  public static final Set<MetadataField> TURBO_UPLOAD = EnumSet.range(MetadataField.DURATION_MS, MetadataField.CLIENT_CI);
  /** What turbo reads on GET and HEAD. */
  public static final Set<MetadataField> TURBO_DOWNLOAD = EnumSet.range(MetadataField.DURATION_MS, MetadataField.DIRTY_HASH);
  /** Every field: the admin routes of export and import, which keep an artifact's age. */
  public static final Set<MetadataField> ALL = EnumSet.allOf(MetadataField.class);

  /**
   * The longest value each text field may have: the tag and the CI vendor as the official remote
   * cache OpenAPI document limits them; sha and dirty-hash are hex digests in practice, and their
   * bound only stops abuse.
   */
  private static final Map<MetadataField, Integer> MAX_LENGTH = new EnumMap<>(Map.of(
      MetadataField.TAG, 600,
      MetadataField.SHA, 256,
      MetadataField.DIRTY_HASH, 256,
      MetadataField.CLIENT_CI, 50));

  /** Made once: every response of a hit carries these. */
  private static final Map<MetadataField, HttpString> NAMES = new EnumMap<>(MetadataField.class);

  static {
    for (MetadataField field : MetadataField.values()) {
      NAMES.put(field, new HttpString(field.header()));
    }
  }

  private ArtifactHeaders() {}

  /**
   * The metadata of an upload of {@code size} bytes from the headers of {@code fields}, checked;
   * without a creation time among them, the upload is created now.
   *
   * @throws ApiException (400) naming the first header that is not a valid value
   */
  public static ArtifactMetadata read(HeaderMap headers, long size, Set<MetadataField> fields) {
    Map<MetadataField, String> values = new EnumMap<>(MetadataField.class);
    for (MetadataField field : fields) {
      String value = headers.getFirst(NAMES.get(field));
      // An empty header is no value; so is a blank duration.
      if (value != null && !value.isEmpty()
          && !(field == MetadataField.DURATION_MS && value.isBlank())) {
        values.put(field, checked(field, value));
      }
    }
    ArtifactMetadata metadata = ArtifactMetadata.fromText(size, values::get);
    return metadata.createdAt() == null ? metadata.withCreatedAt(Instant.now()) : metadata;
  }

  /**
   * Writes the headers of {@code fields} that {@code metadata} has a value for, leaving out values
   * that are not printable ASCII (which no upload could have sent).
   */
  public static void write(ArtifactMetadata metadata, HeaderMap headers, Set<MetadataField> fields) {
    for (MetadataField field : fields) {
      String text = field.text(metadata);
      if (text != null && printableAscii(text)) {
        headers.put(NAMES.get(field), text);
      }
    }
  }

  private static String checked(MetadataField field, String value) {
    switch (field) {
      case DURATION_MS -> {
        if (!field.accepts(value) || value.trim().startsWith("-")) {
          throw ApiException.badRequest(field.header() + " must be a whole number of milliseconds");
        }
      }
      case CREATED_AT -> {
        if (!field.accepts(value)) {
          throw ApiException.badRequest(field.header() + " must be an ISO-8601 instant");
        }
      }
      default -> {
        int max = MAX_LENGTH.get(field);
        if (value.length() > max) {
          throw ApiException.badRequest(field.header() + " is " + value.length()
              + " characters; at most " + max + " are allowed");
        }
        if (!printableAscii(value)) {
          throw ApiException.badRequest(field.header() + " must be printable ASCII");
        }
      }
    }
    return value;
  }

  /**
   * Whether every character is printable ASCII, 0x20 to 0x7e. Undertow reads request header
   * octets as ISO-8859-1, so a character here is the octet the client sent.
   */
  private static boolean printableAscii(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        return false;
      }
    }
    return true;
  }
}
