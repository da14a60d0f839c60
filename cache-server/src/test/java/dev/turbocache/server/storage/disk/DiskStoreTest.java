package dev.turbocache.server.storage.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turbocache.server.artifact.ArtifactKey;
import dev.turbocache.server.artifact.ArtifactMetadata;
import dev.turbocache.server.storage.Artifact;
import dev.turbocache.server.storage.ArtifactBody;
import dev.turbocache.server.storage.ArtifactStore;
import dev.turbocache.server.storage.ArtifactStoreContractTest;
import dev.turbocache.server.storage.BodySpooler;
import dev.turbocache.server.storage.IncompleteBodyException;
import dev.turbocache.server.storage.StoreStats;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class DiskStoreTest extends ArtifactStoreContractTest {

  private Path root;

  @Override
  protected ArtifactStore createStore(Path dir) throws IOException {
    root = dir;
    return new DiskStore(dir, 4 * MIN_TOTAL, MIN_ARTIFACT);
  }

  private List<Path> artifactFiles() throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(p -> p.toString().endsWith(".art")).toList();
    }
  }

  private List<Path> tempFiles() throws IOException {
    try (Stream<Path> files = Files.list(root.resolve(".tmp"))) {
      return files.toList();
    }
  }

  private Path fileOf(ArtifactKey key) throws IOException {
    return artifactFiles().stream()
        .filter(p -> p.getFileName().toString().startsWith(key.hash() + "."))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void hitsAreFileRegionsOfTheVersionFile() throws IOException {
    put(store, key("aa"), filled(10, 1));
    try (Artifact hit = store.get(key("aa")).orElseThrow()) {
      assertThat(hit.body()).isInstanceOf(ArtifactBody.FileRegion.class);
    }
    assertThat(artifactFiles()).singleElement()
        .satisfies(p -> assertThat(root.relativize(p).toString())
            .matches("team-a/aa/aa\\.[0-9a-f]+\\.art"));
  }

  @Test
  void survivesRestart() throws IOException {
    ArtifactMetadata full = new ArtifactMetadata(3, 42L, "tag", "sha", "dirty", "ci",
        Instant.parse("2025-05-05T05:05:05.5Z"));
    store.put(key("b1"), full, new ArtifactBody.Bytes(new byte[] {7, 8, 9}));
    put(store, new ArtifactKey("other", "b2"), filled(1000, 2));
    store.close();

    store = new DiskStore(root, 4 * MIN_TOTAL, MIN_ARTIFACT);

    assertThat(store.head(key("b1"))).contains(full);
    try (Artifact hit = store.get(key("b1")).orElseThrow()) {
      assertThat(hit.metadata()).isEqualTo(full);
      assertThat(hit.body().openStream().readAllBytes()).containsExactly(7, 8, 9);
    }
    assertThat(read(store.get(new ArtifactKey("other", "b2")))).isEqualTo(filled(1000, 2));
    assertThat(store.stats()).isEqualTo(new StoreStats(2, 1003));
  }

  @Test
  void evictsLeastRecentlyUsedWhenOverMaxSize() throws IOException {
    store = new DiskStore(root, 3000, 1000);
    put(store, key("c1"), filled(1000, 1));
    put(store, key("c2"), filled(1000, 2));
    put(store, key("c3"), filled(1000, 3));
    read(store.get(key("c1"))); // c2 is now the least recently used

    put(store, key("c4"), filled(1000, 4));

    assertThat(store.get(key("c2"))).isEmpty();
    for (String kept : List.of("c1", "c3", "c4")) {
      assertThat(store.head(key(kept))).as(kept).isPresent();
    }
    assertThat(store.stats()).isEqualTo(new StoreStats(3, 3000));
    assertThat(artifactFiles()).as("evicted file deleted").hasSize(3);
  }

  @Test
  void restartKeepsRecentlyReadArtifactsWhenShrinking() throws IOException {
    put(store, key("d1"), filled(1000, 1));
    put(store, key("d2"), filled(1000, 2));
    put(store, key("d3"), filled(1000, 3));
    // Deterministic write order for the scan: d1 oldest, then d2, then d3.
    Instant now = Instant.now();
    Files.setLastModifiedTime(fileOf(key("d1")), FileTime.from(now.minus(Duration.ofHours(3))));
    Files.setLastModifiedTime(fileOf(key("d2")), FileTime.from(now.minus(Duration.ofHours(2))));
    Files.setLastModifiedTime(fileOf(key("d3")), FileTime.from(now.minus(Duration.ofHours(1))));
    read(store.get(key("d1"))); // a read makes d1 the most recent, also across a restart
    store.close();

    store = new DiskStore(root, 2000, 1000);

    assertThat(store.head(key("d2"))).isEmpty();
    assertThat(store.head(key("d1"))).isPresent();
    assertThat(store.head(key("d3"))).isPresent();
    assertThat(artifactFiles()).hasSize(2);
  }

  @Test
  void startupRemovesTempFilesOlderVersionsAndCorruptFiles() throws IOException {
    put(store, key("e1"), filled(100, 1));
    Path v1 = fileOf(key("e1"));
    Path saved = Files.copy(v1, tempDir.resolve("v1.saved"));
    put(store, key("e1"), filled(200, 2));
    assertThat(v1).doesNotExist();
    put(store, key("e2"), filled(300, 3));
    store.close();

    // What a crash can leave: the old version not yet deleted (and touched later than the new
    // one, so only the version decides), a half-written temp file, a truncated artifact.
    Files.copy(saved, v1);
    Files.setLastModifiedTime(v1, FileTime.from(Instant.now().plus(Duration.ofHours(1))));
    Files.write(root.resolve(".tmp").resolve("crashed.tmp"), filled(50, 5));
    Path e2 = fileOf(key("e2"));
    byte[] whole = Files.readAllBytes(e2);
    Files.write(e2, java.util.Arrays.copyOf(whole, whole.length - 10));
    Path garbage = root.resolve("team-a").resolve("e3").resolve("e3.1.art");
    Files.createDirectories(garbage.getParent());
    Files.write(garbage, filled(64, 'x'));

    store = new DiskStore(root, 4 * MIN_TOTAL, MIN_ARTIFACT);

    assertThat(read(store.get(key("e1")))).isEqualTo(filled(200, 2));
    assertThat(store.get(key("e2"))).isEmpty();
    assertThat(tempFiles()).isEmpty();
    assertThat(artifactFiles()).singleElement().isEqualTo(fileOf(key("e1")));
    assertThat(store.stats()).isEqualTo(new StoreStats(1, 200));
  }

  @Test
  void failedPutLeavesPreviousVersionAndNoTempFile() throws IOException {
    put(store, key("f1"), filled(1000, 1));
    InputStream failing = new InputStream() {
      int served;

      @Override
      public int read() throws IOException {
        if (served++ >= 100_000) {
          throw new IOException("client went away");
        }
        return 2;
      }
    };

    assertThatThrownBy(() -> store.put(key("f1"), metadata(300_000),
        new ArtifactBody.Streamed(failing, 300_000)))
        .isInstanceOf(IOException.class).hasMessageContaining("went away");
    assertThatThrownBy(() -> store.put(key("f1"), metadata(300_000),
        new ArtifactBody.Streamed(new ByteArrayInputStream(filled(1000, 3)), 300_000)))
        .isInstanceOf(IncompleteBodyException.class);

    assertThat(read(store.get(key("f1")))).isEqualTo(filled(1000, 1));
    assertThat(store.head(key("f1"))).contains(metadata(1000));
    assertThat(tempFiles()).isEmpty();
    assertThat(artifactFiles()).hasSize(1);
  }

  @Test
  void openReaderKeepsReadingOldBytesAfterOverwriteAndEviction() throws IOException {
    store = new DiskStore(root, 3 << 20, 2 << 20);
    byte[] v1 = randomBytes(1 << 20, 1);
    byte[] v2 = randomBytes(1 << 20, 2);
    put(store, key("a1"), v1);
    Artifact heldV1 = store.get(key("a1")).orElseThrow();

    put(store, key("a1"), v2);
    Artifact heldV2 = store.get(key("a1")).orElseThrow();
    put(store, key("a2"), randomBytes(1 << 20, 3));
    put(store, key("a3"), randomBytes(1 << 20, 4));
    put(store, key("a4"), randomBytes(1 << 20, 5)); // evicts a1 (v2)

    assertThat(store.head(key("a1"))).isEmpty();
    assertThat(artifactFiles()).noneMatch(p -> p.getFileName().toString().startsWith("a1."));
    assertThat(read(java.util.Optional.of(heldV1))).isEqualTo(v1);
    assertThat(read(java.util.Optional.of(heldV2))).isEqualTo(v2);
  }

  @Test
  void fileDeletedBehindItsBackIsAMiss() throws IOException {
    put(store, key("a5"), filled(10, 1));
    Files.delete(fileOf(key("a5")));

    assertThat(store.get(key("a5"))).isEmpty();
    assertThat(store.stats()).isEqualTo(new StoreStats(0, 0));
  }

  @Test
  void admitsUpToTheSmallerOfTheLimits() throws IOException {
    store = new DiskStore(root, 5000, 1000);
    assertThat(store.admits(1000)).isTrue();
    assertThat(store.admits(1001)).isFalse();
    assertThat(new DiskStore(root, 500, 1000).admits(501)).isFalse();
  }

  private static Object inode(Path file) throws IOException {
    return Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
  }

  @Test
  void spooledUploadIsMovedIntoPlaceNotCopied() throws IOException {
    BodySpooler spooler = new BodySpooler(tempDir.resolve("spool"), 1024, 64L << 20);
    byte[] data = randomBytes(300_000, 7);
    ArtifactMetadata full = new ArtifactMetadata(data.length, 42L, "t".repeat(600), "sha", "dirty",
        "ci", Instant.parse("2025-05-05T05:05:05.5Z"));
    try (ArtifactBody body = spooler.spool(new ByteArrayInputStream(data), data.length)) {
      Path spoolFile = ((ArtifactBody.FileRegion) body).spool().path();
      Object spooledInode = inode(spoolFile);

      store.put(key("5a"), full, body);

      assertThat(spoolFile).doesNotExist();
      assertThat(inode(fileOf(key("5a")))).isEqualTo(spooledInode);
      // Still readable by the tiers written after this one.
      assertThat(body.openStream().readAllBytes()).isEqualTo(data);
    }
    assertThat(read(store.get(key("5a")))).isEqualTo(data);
    store.close();

    store = new DiskStore(root, 4 * MIN_TOTAL, MIN_ARTIFACT);

    assertThat(store.head(key("5a"))).contains(full);
    assertThat(read(store.get(key("5a")))).isEqualTo(data);
  }

  @Test
  void onlyOneTierTakesASpoolFileTheOthersCopyIt() throws IOException {
    BodySpooler spooler = new BodySpooler(tempDir.resolve("spool"), 1024, 64L << 20);
    DiskStore second = new DiskStore(tempDir.resolve("second"), 4 * MIN_TOTAL, MIN_ARTIFACT);
    byte[] data = randomBytes(50_000, 8);
    try (ArtifactBody body = spooler.spool(new ByteArrayInputStream(data), data.length)) {
      store.put(key("5b"), metadata(data.length), body);
      second.put(key("5b"), metadata(data.length), body);
    }
    assertThat(read(store.get(key("5b")))).isEqualTo(data);
    assertThat(read(second.get(key("5b")))).isEqualTo(data);
    assertThat(store.head(key("5b"))).contains(metadata(data.length));
    assertThat(second.head(key("5b"))).contains(metadata(data.length));
  }

  @Test
  void directoriesDeletedBehindItsBackAreCreatedAgain() throws IOException {
    BodySpooler spooler = new BodySpooler(tempDir.resolve("spool"), 1024, 64L << 20);
    put(store, key("7a"), filled(10, 1));
    store.delete(key("7a"));
    deleteTree(root.resolve("team-a"));

    put(store, key("7a"), filled(10, 2));
    deleteTree(root.resolve("team-a"));
    byte[] large = randomBytes(5000, 3);
    try (ArtifactBody body = spooler.spool(new ByteArrayInputStream(large), large.length)) {
      store.put(key("7b"), metadata(large.length), body);
    }

    assertThat(read(store.get(key("7b")))).isEqualTo(large);
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
