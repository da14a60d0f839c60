package dev.turbocache.server.storage.disk;

import dev.turbocache.server.artifact.ArtifactKey;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the index from the artifact directory at startup, and removes what a crash or an
 * interrupted write can leave behind: temp files, superseded versions, corrupt files.
 */
final class DiskRecovery {
  private static final Logger LOG = LoggerFactory.getLogger(DiskRecovery.class);

  private DiskRecovery() {}

  /** Found artifacts, plus the highest version seen so new versions sort after all of them. */
  record Result(List<Found> artifacts, long maxVersion) {}

  /** A valid artifact file and when it was last used (mtime is refreshed on reads). */
  record Found(ArtifactKey key, DiskIndex.Entry entry, FileTime lastUsed) {}

  static Result scan(Path root, Path tempDir) throws IOException {
    deleteTempFiles(tempDir);
    Map<ArtifactKey, Found> newest = new HashMap<>();
    long[] maxVersion = {0};
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            return dir.equals(tempDir) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            if (attrs.isRegularFile() && file.getFileName().toString().endsWith(ArtifactFile.EXTENSION)) {
              Found found = readOrDelete(file, attrs.lastModifiedTime());
              if (found != null) {
                maxVersion[0] = Math.max(maxVersion[0], found.entry().version());
                keepNewest(newest, found);
              }
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) {
            LOG.warn("disk tier: cannot read {}: {}", file, e.toString());
            return FileVisitResult.CONTINUE;
          }
        });
    List<Found> artifacts = new ArrayList<>(newest.values());
    // Oldest first, so inserting in this order leaves the least recently used at the LRU end.
    artifacts.sort(Comparator.comparing(Found::lastUsed));
    return new Result(artifacts, maxVersion[0]);
  }

  private static void keepNewest(Map<ArtifactKey, Found> newest, Found found) {
    Found other = newest.get(found.key());
    if (other == null || other.entry().version() < found.entry().version()) {
      newest.put(found.key(), found);
      if (other != null) {
        delete(other.entry().path(), "superseded version");
      }
    } else {
      delete(found.entry().path(), "superseded version");
    }
  }

  private static Found readOrDelete(Path file, FileTime lastUsed) {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      ArtifactFile.Contents c = ArtifactFile.read(channel);
      return new Found(
          c.key(), new DiskIndex.Entry(file, c.version(), c.bodyOffset(), c.metadata()), lastUsed);
    } catch (ArtifactFile.CorruptArtifactException e) {
      LOG.warn("disk tier: deleting corrupt artifact file {}: {}", file, e.getMessage());
      delete(file, "corrupt");
    } catch (IOException e) {
      LOG.warn("disk tier: skipping unreadable artifact file {}: {}", file, e.toString());
    }
    return null;
  }

  private static void deleteTempFiles(Path tempDir) throws IOException {
    try (var files = Files.newDirectoryStream(tempDir)) {
      for (Path file : files) {
        delete(file, "leftover temp file");
      }
    }
  }

  private static void delete(Path file, String why) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.warn("disk tier: cannot delete {} ({}): {}", file, why, e.toString());
    }
  }
}
