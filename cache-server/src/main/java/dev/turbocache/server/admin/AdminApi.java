package dev.turbocache.server.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.turbocache.server.artifact.ArtifactMetadata;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The JSON shapes of the {@code /admin/} API, shared by the server handlers and the CLI client so
 * the two cannot drift apart. {@code openapi.yaml} describes the same shapes.
 */
public final class AdminApi {
  private AdminApi() {}

  /** {@code GET /admin/stats}. */
  public record Stats(Instant since, Totals totals, List<TierStats> tiers, List<TeamRow> teams) {}

  /** Server-wide: artifact downloads (GET) and what the durable tier holds. */
  public record Totals(long hits, long misses, Double hitRatio, Long entries, Long bytes) {}

  /**
   * One tier. {@code entries}/{@code bytes} are null when the tier cannot count cheaply (remote
   * tiers); lookups count GET and HEAD.
   */
  public record TierStats(
      String name, long hits, long misses, long errors, Double hitRatio, Long entries, Long bytes) {}

  /** One team: downloads and uploads since {@code since}, and what storage holds for it now. */
  public record TeamRow(
      String team,
      long hits,
      long misses,
      Double hitRatio,
      long uploads,
      long uploadedBytes,
      long entries,
      long bytes) {}

  /** {@code POST /admin/stats/reset}. */
  public record ResetResponse(Instant since) {}

  /** {@code POST /admin/tiers/{tier}/clear}. */
  public record ClearResponse(String tier, Long removedEntries, Long removedBytes) {}

  /** {@code DELETE /admin/artifacts/{team}/{hash}}. */
  public record DeleteResponse(String team, String hash, boolean deleted) {}

  /** {@code POST /admin/purge} request. */
  public record PurgeRequest(String olderThan, String team, Boolean dryRun) {}

  /**
   * {@code POST /admin/purge} response: what was (or, dry run, would be) removed. A storage failure
   * stops a purge part way: {@code error} says why and {@code remaining} how many of the artifacts
   * it found are still there; both are unset (null, 0) when it removed everything it found.
   */
  public record PurgeResponse(
      String olderThan,
      Instant cutoff,
      boolean dryRun,
      long removed,
      long bytes,
      Map<String, TeamRemoved> teams,
      List<String> artifacts,
      boolean truncated,
      long remaining,
      String error) {}

  /** Per team in a purge report. */
  public record TeamRemoved(long artifacts, long bytes) {}

  /**
   * {@code POST /admin/tokens/revoke} request.
   *
   * @param exp the token's {@code exp} (epoch seconds), when the caller knows it
   */
  public record RevokeRequest(String jti, Long exp) {}

  /**
   * {@code POST /admin/tokens/revoke} response.
   *
   * @param scope {@link #SHARED}: every server using the same Redis refuses the token; {@link
   *     #THIS_SERVER}: only the server that answered (no redis tier), so with several servers each
   *     has to be told
   */
  public record RevokeResponse(String jti, Instant revokedUntil, String scope) {
    public static final String SHARED = "shared";
    public static final String THIS_SERVER = "this-server";
  }

  /** {@code GET /admin/teams/{team}/artifacts}. */
  public record ArtifactList(String team, List<ArtifactEntry> artifacts) {}

  /** One artifact with all its metadata, whose fields appear beside its hash. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ArtifactEntry(String hash, @JsonUnwrapped ArtifactMetadata metadata) {}

  /** hits / (hits + misses), or null before the first lookup. */
  public static Double ratio(long hits, long misses) {
    long total = hits + misses;
    return total == 0 ? null : (double) hits / total;
  }
}
