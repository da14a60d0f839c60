package dev.turbocache.server.artifact;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.function.Function;

/**
 * What turbo sent alongside an artifact body, kept verbatim and returned on GET/HEAD. The optional
 * fields and their names in every representation are listed in {@link MetadataField}.
 *
 * @param size body length in bytes
 * @param durationMs {@code x-artifact-duration}: task time in ms, or null when the client sent none
 * @param tag {@code x-artifact-tag}: signature, stored verbatim and never verified (turbo verifies it)
 * @param sha {@code x-artifact-sha}: git HEAD of the producing checkout
 * @param dirtyHash {@code x-artifact-dirty-hash}: hash of uncommitted changes, if any
 * @param clientCi {@code x-artifact-client-ci}: CI vendor that produced it, recorded for stats
 * @param createdAt when this server accepted the upload
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ArtifactMetadata(
    long size,
    Long durationMs,
    String tag,
    String sha,
    String dirtyHash,
    String clientCi,
    Instant createdAt) {

  public ArtifactMetadata {
    if (size < 0) {
      throw new IllegalArgumentException("size must be >= 0");
    }
  }

  /**
   * Metadata from the text of each field ({@link MetadataField#text}; null when absent). Numbers
   * and instants may carry surrounding blanks.
   *
   * @throws IllegalArgumentException when a field's text is not a value of that field
   */
  public static ArtifactMetadata fromText(long size, Function<MetadataField, String> text) {
    return new ArtifactMetadata(
        size,
        duration(text.apply(MetadataField.DURATION_MS)),
        text.apply(MetadataField.TAG),
        text.apply(MetadataField.SHA),
        text.apply(MetadataField.DIRTY_HASH),
        text.apply(MetadataField.CLIENT_CI),
        instant(text.apply(MetadataField.CREATED_AT)));
  }

  /** The same metadata with another creation time. */
  public ArtifactMetadata withCreatedAt(Instant created) {
    return new ArtifactMetadata(size, durationMs, tag, sha, dirtyHash, clientCi, created);
  }

  private static Long duration(String text) {
    return text == null ? null : Long.parseLong(text.trim());
  }

  private static Instant instant(String text) {
    try {
      return text == null ? null : Instant.parse(text.trim());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("not an ISO-8601 instant: " + text, e);
    }
  }
}
