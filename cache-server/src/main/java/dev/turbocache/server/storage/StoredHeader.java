package dev.turbocache.server.storage;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The JSON header that tiers storing body and metadata in one blob (disk files, Redis values)
 * write in front of the body. It repeats the key, so a blob can be checked against (or indexed
 * by) its content alone. Timestamps are ISO strings, so the format does not depend on a Jackson
 * java.time module being registered.
 *
 * @param version a per-tier version number, or null for tiers that do not keep versions
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StoredHeader(
    String team,
    String hash,
    Long version,
    long size,
    Long durationMs,
    String tag,
    String sha,
    String dirtyHash,
    String clientCi,
    String createdAt) {

  private static final ObjectMapper JSON =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  public static StoredHeader of(ArtifactKey key, Long version, ArtifactMetadata m) {
    return new StoredHeader(key.team(), key.hash(), version, m.size(), m.durationMs(), m.tag(),
        m.sha(), m.dirtyHash(), m.clientCi(), m.createdAt() == null ? null : m.createdAt().toString());
  }

  public byte[] toJson() throws IOException {
    return JSON.writeValueAsBytes(this);
  }

  /**
   * Parses a header and checks it names a valid key and metadata.
   *
   * @throws IOException with a short reason when the bytes are not a valid header
   */
  public static StoredHeader parse(byte[] bytes, int offset, int length) throws IOException {
    try {
      StoredHeader h = JSON.readValue(bytes, offset, length, StoredHeader.class);
      h.key();
      h.metadata();
      return h;
    } catch (JacksonException | IllegalArgumentException | NullPointerException
        | DateTimeParseException e) {
      throw new IOException("unreadable header: " + e.getMessage());
    }
  }

  public ArtifactKey key() {
    return new ArtifactKey(team, hash);
  }

  public ArtifactMetadata metadata() {
    return new ArtifactMetadata(size, durationMs, tag, sha, dirtyHash, clientCi,
        createdAt == null ? null : Instant.parse(createdAt));
  }
}
