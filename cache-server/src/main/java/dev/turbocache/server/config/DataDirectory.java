package dev.turbocache.server.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the server keeps state when {@code server.dataDir} is not set: the per-user data
 * directory ({@code $XDG_DATA_HOME/turbocache}, else {@code ~/.local/share/turbocache}), so a
 * laptop user's cache survives restarts and does not depend on the working directory.
 */
public final class DataDirectory {
  private DataDirectory() {}

  public static Path resolve(Path configured) {
    Path dir = configured != null ? configured : defaultDirectory();
    try {
      return Files.createDirectories(dir.toAbsolutePath());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the data directory " + dir, e);
    }
  }

  static Path defaultDirectory() {
    String xdg = System.getenv("XDG_DATA_HOME");
    Path base = xdg != null && !xdg.isBlank()
        ? Path.of(xdg)
        : Path.of(System.getProperty("user.home"), ".local", "share");
    return base.resolve("turbocache");
  }
}
