package dev.turbocache.server.storage;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * What turbo sent alongside an artifact body, kept verbatim and returned on GET/HEAD.
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
}
