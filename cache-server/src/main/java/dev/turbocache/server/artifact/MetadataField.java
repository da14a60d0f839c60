package dev.turbocache.server.artifact;

/**
 * The optional fields of {@link ArtifactMetadata}, each with the name it has in JSON (the admin
 * API, export files, the headers of disk files and Redis values) and the HTTP header that carries
 * it. Every text form of artifact metadata, headers and object metadata included, is written from
 * {@link #text} and read back through {@link ArtifactMetadata#fromText}, so a field added here
 * reaches all of them.
 */
public enum MetadataField {
  /** Task time in milliseconds, as turbo measured it. */
  DURATION_MS("durationMs", "x-artifact-duration"),
  /** turbo's signature, kept verbatim and never verified. */
  TAG("tag", "x-artifact-tag"),
  /** Git HEAD of the checkout that produced the artifact. */
  SHA("sha", "x-artifact-sha"),
  /** Hash of that checkout's uncommitted changes. */
  DIRTY_HASH("dirtyHash", "x-artifact-dirty-hash"),
  /** CI vendor that produced the artifact. */
  CLIENT_CI("clientCi", "x-artifact-client-ci"),
  /** When this server (or the one an export came from) accepted the upload. */
  CREATED_AT("createdAt", "x-artifact-created-at");

  private final String jsonName;
  private final String header;

  MetadataField(String jsonName, String header) {
    this.jsonName = jsonName;
    this.header = header;
  }

  /** The field's name in JSON: {@code durationMs}, {@code dirtyHash}... */
  public String jsonName() {
    return jsonName;
  }

  /** The HTTP header that carries the field: {@code x-artifact-duration}... */
  public String header() {
    return header;
  }

  /** The field's value in {@code metadata} as text, or null when it has none. */
  public String text(ArtifactMetadata metadata) {
    return switch (this) {
      case DURATION_MS -> metadata.durationMs() == null ? null : metadata.durationMs().toString();
      case TAG -> metadata.tag();
      case SHA -> metadata.sha();
      case DIRTY_HASH -> metadata.dirtyHash();
      case CLIENT_CI -> metadata.clientCi();
      case CREATED_AT -> metadata.createdAt() == null ? null : metadata.createdAt().toString();
    };
  }

  /**
   * Whether {@code text} reads as a value of this field: a whole number for the duration, an
   * ISO-8601 instant for the creation time, any text for the others.
   */
  public boolean accepts(String text) {
    try {
      ArtifactMetadata.fromText(0, field -> field == this ? text : null);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
