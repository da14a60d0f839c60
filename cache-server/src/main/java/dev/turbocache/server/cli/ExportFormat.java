package dev.turbocache.server.cli;

import java.time.Instant;

/**
 * The export file: a plain (uncompressed; artifacts are compressed already) POSIX tar holding
 * <ol>
 *   <li>{@value #MANIFEST}: {@link Manifest} (format version, team, count);
 *   <li>per artifact, {@code artifacts/<hash>.json} (its metadata as
 *       {@link dev.turbocache.server.admin.AdminApi.ArtifactEntry}) followed by
 *       {@code artifacts/<hash>} (the body turbo uploaded, byte for byte).
 * </ol>
 * {@code tar -tf} lists it and {@code tar -xf} unpacks it with ordinary tools.
 */
final class ExportFormat {
  static final String MANIFEST = "turbocache-export.json";
  static final String DIR = "artifacts/";
  static final String META_SUFFIX = ".json";
  static final int VERSION = 1;

  record Manifest(int format, String team, Instant exportedAt, String source, long artifacts) {}

  private ExportFormat() {}
}
