package dev.turbocache.server.storage.disk;

import dev.turbocache.server.artifact.ArtifactKey;
import dev.turbocache.server.artifact.ArtifactMetadata;
import dev.turbocache.server.config.TurboCacheConfig;
import dev.turbocache.server.storage.Artifact;
import dev.turbocache.server.storage.ArtifactBody;
import dev.turbocache.server.storage.BodyTransfer;
import dev.turbocache.server.storage.SizeLimitedStore;
import dev.turbocache.server.storage.StorageFullException;
import dev.turbocache.server.storage.StoreStats;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local persistent tier: one file per artifact version under a root directory, an in-memory
 * LRU index bounded by total bytes, rebuilt from the files at startup.
 *
 * <p>Every version is written (optionally fsync'd) under a name no other version uses, and only
 * then published in the index. Readers therefore only ever open complete files, and deleting a
 * superseded or evicted version never touches a newer one. A reader that already opened a file
 * keeps reading it after it is unlinked. Large uploads arrive as spool files, which are renamed
 * into place instead of copied. {@code <root>/.tmp} is only emptied at startup (older versions
 * wrote through it).
 *
 * <p>fsync ({@code storage.disk.fsync}) is off by default: measured, one flush per upload cost
 * more than everything else on the upload path together (see docs/benchmarks.md). A process
 * crash loses nothing either way (the page cache survives it). After a power loss without fsync,
 * files written in the last seconds may come back empty or short; the startup scan checks every
 * file's length against its header and drops those, so that is a cache miss. A renamed file
 * holding the right length of wrong bytes needs a file system that writes metadata before data
 * (ext4 {@code data=writeback}); turn fsync on there. The directory is never synced: losing a
 * just-renamed file is only a miss.
 */
public final class DiskStore extends SizeLimitedStore {
  private static final Logger LOG = LoggerFactory.getLogger(DiskStore.class);

  /** Lookups retry when the file vanished because a newer version replaced it meanwhile. */
  private static final int OPEN_ATTEMPTS = 3;

  private final Path root;
  private final long maxSize;
  private final DiskIndex index;
  private final boolean fsync;
  private final AtomicLong lastVersion;
  private final Set<Path> knownDirectories = ConcurrentHashMap.newKeySet();

  /** Cleared when a rename from the spool directory fails because it is another file system. */
  private volatile boolean adoptSpoolFiles = true;

  public DiskStore(Path root, TurboCacheConfig.Disk config) throws IOException {
    this(root, config.maxSize().bytes(), config.maxArtifactSize().bytes(), config.fsync());
  }

  /** A store that fsyncs every file (the write-back queue, tests). */
  public DiskStore(Path root, long maxSize, long maxArtifactSize) throws IOException {
    this(root, maxSize, maxArtifactSize, true);
  }

  /** Opens (creating if needed) the tier at {@code root} and rebuilds its index from the files. */
  public DiskStore(Path root, long maxSize, long maxArtifactSize, boolean fsync)
      throws IOException {
    super(maxArtifactSize);
    this.fsync = fsync;
    this.root = Files.createDirectories(root);
    Path tempDir = Files.createDirectories(root.resolve(".tmp"));
    this.maxSize = maxSize;
    this.index = new DiskIndex(maxSize);
    DiskRecovery.Result recovered = DiskRecovery.scan(this.root, tempDir);
    for (DiskRecovery.Found found : recovered.artifacts()) {
      deleteFiles(index.put(found.key(), found.entry()));
    }
    this.lastVersion = new AtomicLong(recovered.maxVersion());
    LOG.info(
        "disk tier at {}: {} artifacts, {} bytes", root, index.entryCount(), index.bytes());
  }

  @Override
  public String name() {
    return "disk";
  }

  @Override
  public boolean admits(long size) {
    return size <= maxArtifactSize() && size <= maxSize;
  }

  @Override
  public Optional<Artifact> get(ArtifactKey key) throws IOException {
    for (int attempt = 0; attempt < OPEN_ATTEMPTS; attempt++) {
      DiskIndex.Entry entry = index.get(key);
      if (entry == null) {
        return Optional.empty();
      }
      FileChannel channel;
      try {
        channel = FileChannel.open(entry.path(), StandardOpenOption.READ);
      } catch (NoSuchFileException e) {
        // Replaced or evicted since the lookup (then the index moved on and we retry), or
        // deleted behind our back (then drop the stale entry).
        index.removeIfCurrent(key, entry);
        continue;
      }
      if (channel.size() != entry.bodyOffset() + entry.size()) {
        channel.close();
        LOG.warn("disk tier: {} has the wrong size, dropping it", entry.path());
        if (index.removeIfCurrent(key, entry)) {
          deleteFile(entry.path());
        }
        return Optional.empty();
      }
      touch(entry.path());
      return Optional.of(
          new Artifact(
              entry.metadata(),
              new ArtifactBody.FileRegion(channel, entry.bodyOffset(), entry.size(), null)));
    }
    return Optional.empty();
  }

  /** Without fsync a small write goes to the page cache; with it, it waits for the device. */
  @Override
  public boolean putsWithoutWaiting() {
    return !fsync;
  }

  /** The index knows every version this tier holds: a miss needs no file-system call. */
  @Override
  public boolean knowsMissesWithoutBlocking() {
    return true;
  }

  @Override
  public boolean absentWithoutBlocking(ArtifactKey key) {
    return !index.contains(key);
  }

  @Override
  public Optional<ArtifactMetadata> head(ArtifactKey key) {
    return Optional.ofNullable(index.get(key)).map(DiskIndex.Entry::metadata);
  }

  @Override
  protected void store(ArtifactKey key, ArtifactMetadata metadata, ArtifactBody body)
      throws IOException {
    long version = nextVersion();
    Path target = ArtifactFile.path(root, key, version);
    DiskIndex.Entry entry;
    try {
      entry = adopt(key, version, metadata, body, target);
      if (entry == null) {
        entry = writeNew(key, version, metadata, body, target);
      }
    } catch (IOException e) {
      throw StorageFullException.classify("disk tier at " + root, e);
    }
    deleteFiles(index.put(key, entry));
  }

  /**
   * Takes over a spooled upload: its header goes into the room the spooler left before the body,
   * and the file is renamed into place, so a large upload is written to disk once. Null when the
   * body is not an unclaimed spool file (then it is copied).
   */
  private DiskIndex.Entry adopt(ArtifactKey key, long version, ArtifactMetadata metadata,
      ArtifactBody body, Path target) throws IOException {
    if (!adoptSpoolFiles
        || !(body instanceof ArtifactBody.FileRegion region)
        || region.spool() == null
        || region.offset() != region.spool().headerRoom()) {
      return null;
    }
    byte[] header = ArtifactFile.encodeHeader(key, version, metadata, region.spool().headerRoom());
    if (header == null || !region.spool().claim()) {
      return null;
    }
    BodyTransfer.writeFully(region.channel(), ByteBuffer.wrap(header), 0);
    if (fsync) {
      region.channel().force(true);
    }
    try {
      moveIntoPlace(region.spool().path(), target);
    } catch (AtomicMoveNotSupportedException e) {
      adoptSpoolFiles = false;
      LOG.info("disk tier: the spool directory is on another file system than {}; uploads are "
          + "copied into the tier from now on", root);
      return null;
    }
    return new DiskIndex.Entry(target, version, header.length, metadata);
  }

  /**
   * Writes the version's file under its final name. Nothing can open it before the index points
   * at it, and a write cut short by a crash leaves a file whose length does not match its header,
   * which the startup scan deletes; so no temp file and rename are needed (they cost a sixth of a
   * small upload).
   */
  private DiskIndex.Entry writeNew(ArtifactKey key, long version, ArtifactMetadata metadata,
      ArtifactBody body, Path target) throws IOException {
    byte[] header = ArtifactFile.encodeHeader(key, version, metadata);
    try (FileChannel out = createFile(target)) {
      if (body instanceof ArtifactBody.Bytes bytes) {
        // Header and body in one gathering write.
        ByteBuffer[] buffers = {ByteBuffer.wrap(header), bytes.buffer()};
        while (buffers[0].hasRemaining() || buffers[1].hasRemaining()) {
          out.write(buffers);
        }
      } else {
        BodyTransfer.writeFully(out, ByteBuffer.wrap(header), 0);
        BodyTransfer.writeTo(body, out, header.length);
      }
      if (fsync) {
        out.force(true);
      }
    } catch (IOException | RuntimeException | Error e) {
      deleteFile(target);
      throw e;
    }
    return new DiskIndex.Entry(target, version, header.length, metadata);
  }

  private FileChannel createFile(Path file) throws IOException {
    return intoDirectoryOf(file,
        () -> FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
  }

  /** Renames a complete file to its final name. */
  private void moveIntoPlace(Path file, Path target) throws IOException {
    intoDirectoryOf(target, () -> Files.move(file, target, StandardCopyOption.ATOMIC_MOVE));
  }

  private interface FileOperation<T> {
    T run() throws IOException;
  }

  /**
   * Runs an operation that creates {@code file}, making its directory first. Directories this
   * store made are remembered, which saves a failing mkdir per upload; one deleted behind our
   * back is made again and the operation retried once.
   */
  private <T> T intoDirectoryOf(Path file, FileOperation<T> operation) throws IOException {
    Path directory = file.getParent();
    if (!knownDirectories.contains(directory)) {
      Files.createDirectories(directory);
      knownDirectories.add(directory);
    }
    try {
      return operation.run();
    } catch (NoSuchFileException e) {
      Files.createDirectories(directory);
      return operation.run();
    }
  }

  @Override
  public boolean delete(ArtifactKey key) {
    DiskIndex.Entry removed = index.remove(key);
    if (removed == null) {
      return false;
    }
    deleteFile(removed.path());
    return true;
  }

  /**
   * Deletes the artifact only if it is still the version described by {@code expected}: a
   * consumer that finished with one version must not delete a newer one written meanwhile.
   */
  public boolean deleteIfUnchanged(ArtifactKey key, ArtifactMetadata expected) {
    DiskIndex.Entry removed = index.removeIfMetadata(key, expected);
    if (removed == null) {
      return false;
    }
    deleteFile(removed.path());
    return true;
  }

  @Override
  public void clear() {
    deleteFiles(index.removeAll());
  }

  @Override
  public StoreStats stats() {
    return new StoreStats(index.entryCount(), index.bytes());
  }

  @Override
  public void close() {
    // Nothing to release: the files are the state, and open bodies own their channels.
  }

  /**
   * Versions only need to be unique and increasing within this directory: strictly increasing
   * in this process, starting above every version found on disk, near the wall clock so that
   * they read as a time in a file listing.
   */
  private long nextVersion() {
    long now = TimeUnit.MILLISECONDS.toMicros(System.currentTimeMillis());
    return lastVersion.updateAndGet(previous -> Math.max(previous + 1, now));
  }

  /** Persists recency across restarts: the startup scan orders the LRU by modification time. */
  private static void touch(Path file) {
    try {
      Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis()));
    } catch (IOException e) {
      // Replaced meanwhile, or a read-only mount: recency after a restart is best effort.
      LOG.debug("disk tier: cannot touch {}: {}", file, e.toString());
    }
  }

  private static void deleteFiles(List<DiskIndex.Entry> entries) {
    for (DiskIndex.Entry entry : entries) {
      deleteFile(entry.path());
    }
  }

  private static void deleteFile(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // The index has already forgotten it. The file may reappear after a restart, which at
      // worst serves a complete artifact that was meant to be gone.
      LOG.warn("disk tier: cannot delete {}: {}", file, e.toString());
    }
  }

  @Override
  public void scan(ArtifactVisitor visitor) throws IOException {
    for (var e : index.snapshot().entrySet()) {
      visitor.visit(e.getKey(), e.getValue());
    }
  }
}
