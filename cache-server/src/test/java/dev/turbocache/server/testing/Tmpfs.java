package dev.turbocache.server.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs mounted on a directory for the test's lifetime: a file system that really fills
 * up ({@code No space left on device}) without touching the machine's disks. Mounting needs root
 * (CAP_SYS_ADMIN); without it the test fails with this explanation rather than passing unseen.
 * {@link #close()} unmounts it.
 */
public final class Tmpfs implements AutoCloseable {
  private final Path mountPoint;

  private Tmpfs(Path mountPoint) {
    this.mountPoint = mountPoint;
  }

  /** Mounts a tmpfs of {@code sizeMiB} MiB on {@code mountPoint} (created if missing). */
  public static Tmpfs mount(Path mountPoint, int sizeMiB) throws IOException {
    Files.createDirectories(mountPoint);
    String output = run("mount", "-t", "tmpfs", "-o", "size=" + sizeMiB + "m,mode=0755", "tmpfs",
        mountPoint.toString());
    if (output != null) {
      throw new IllegalStateException("this test fills a small file system and needs to mount a "
          + "tmpfs on " + mountPoint + ", which takes root (CAP_SYS_ADMIN; our CI runs the build as "
          + "root): `mount` said: " + output);
    }
    return new Tmpfs(mountPoint);
  }

  public Path path() {
    return mountPoint;
  }

  /** Bytes still free on the file system. */
  public long usableBytes() throws IOException {
    return Files.getFileStore(mountPoint).getUsableSpace();
  }

  /**
   * Writes {@code name} until the file system is full: whatever else writes there afterwards
   * fails with {@code No space left on device}.
   */
  public Path fill(String name) throws IOException {
    Path filler = mountPoint.resolve(name);
    byte[] chunk = new byte[64 * 1024];
    try (var out = Files.newOutputStream(filler)) {
      while (true) {
        out.write(chunk);
        out.flush();
      }
    } catch (IOException e) {
      if (usableBytes() > 0 && !String.valueOf(e.getMessage()).contains("No space left")) {
        throw e;
      }
    }
    return filler;
  }

  @Override
  public void close() throws IOException {
    String output = run("umount", mountPoint.toString());
    if (output != null) {
      // Something still holds a file there (a killed server's last descriptors): detach it.
      String lazy = run("umount", "-l", mountPoint.toString());
      if (lazy != null) {
        throw new IOException("could not unmount the tmpfs on " + mountPoint + ": " + output + "; " + lazy);
      }
    }
  }

  /** Runs a command; null when it succeeded, else what it printed. */
  private static String run(String... command) throws IOException {
    Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
    try {
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return String.join(" ", command) + " did not finish within 30 s";
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      return "interrupted";
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    return p.exitValue() == 0 ? null : "exit " + p.exitValue() + ": " + out;
  }
}
