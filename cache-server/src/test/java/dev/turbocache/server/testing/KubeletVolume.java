package dev.turbocache.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;

/**
 * A ConfigMap or Secret volume laid out as the kubelet lays it out when it is mounted as a
 * directory (no {@code subPath}): each version of the files in a directory of its own, {@code
 * ..data} a symlink to the current one and every file a symlink through {@code ..data}. An update
 * writes the next version's directory, renames a new {@code ..data} over the old one (the one
 * atomic step a reader can see) and then deletes the old version, so a server polling the file sees
 * either version whole and its modification time may go backwards.
 */
public final class KubeletVolume {
  private static final String DATA = "..data";

  private final Path dir;
  private int version;
  private Path current;

  private KubeletVolume(Path dir) {
    this.dir = dir;
  }

  /** The volume at {@code dir} holding {@code files} (name to content), as the pod starts with it. */
  public static KubeletVolume create(Path dir, Map<String, byte[]> files) {
    KubeletVolume volume = new KubeletVolume(dir);
    volume.update(files);
    return volume;
  }

  /** The next version: {@code files} replace every file of the volume. */
  public void update(Map<String, byte[]> files) {
    try {
      Files.createDirectories(dir);
      Path previous = current;
      Path next = Files.createDirectory(dir.resolve("..2026_12_01_00_00_00." + ++version));
      for (Map.Entry<String, byte[]> f : files.entrySet()) {
        Path file = next.resolve(f.getKey());
        Files.createDirectories(file.getParent());
        Files.write(file, f.getValue());
      }
      Path link = Files.createSymbolicLink(dir.resolve("..data_tmp"), next.getFileName());
      Files.move(link, dir.resolve(DATA), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      for (String name : files.keySet()) {
        Path top = dir.resolve(Path.of(name).getName(0));
        if (!Files.isSymbolicLink(top)) {
          Files.createSymbolicLink(top, Path.of(DATA).resolve(top.getFileName()));
        }
      }
      current = next;
      if (previous != null) {
        deleteTree(previous);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The path a container reads {@code name} at. */
  public Path file(String name) {
    return dir.resolve(name);
  }

  private static void deleteTree(Path root) throws IOException {
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
        Files.delete(d);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
