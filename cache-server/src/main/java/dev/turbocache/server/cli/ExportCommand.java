package dev.turbocache.server.cli;

import dev.turbocache.server.admin.AdminApi.ArtifactEntry;
import dev.turbocache.server.admin.AdminApi;
import dev.turbocache.server.artifact.ArtifactMetadata;
import dev.turbocache.server.artifact.Team;
import dev.turbocache.server.http.Json;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code export}: one team's artifacts with their metadata into a tar file. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Back up one team's artifacts into a tar file.",
      "Writes every artifact of the team with all its metadata (duration, signature tag, sha, "
          + "dirty hash, CI vendor, upload time) from a running server into a tar file for "
          + "'import'. Needs an admin token for that team. The file appears only once the export "
          + "is complete."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:Success.", "1:The export failed (server error, file not writable).", "2:Bad arguments.",
      "3:The server could not be reached.", "4:The server refused the token (401/403)."
    })
final class ExportCommand implements Callable<Integer> {
  @ParentCommand Main main;
  @Spec CommandSpec spec;
  @Mixin ServerOptions server;

  @Option(names = "--team", required = true, paramLabel = "TEAM", description = "The team to export.")
  String team;

  @ArgGroup(exclusive = true, multiplicity = "1")
  OutputFile outputFile;

  /** The tar file to write, named as an option or, like tar's, as the argument. */
  static final class OutputFile {
    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
        description = "The tar file to write (replaced if it exists).")
    Path option;

    @Parameters(paramLabel = "FILE", description = "The tar file to write (the same as --output FILE).")
    Path argument;

    Path path() {
      return option != null ? option : argument;
    }
  }

  @Override
  public Integer call() {
    if (!Team.isValid(team)) {
      throw new CliException(ExitCodes.USAGE, "--team '" + team + "' is not a valid team name");
    }
    ServerClient client = server.client(main);
    AdminApi.ArtifactList list = client.getJson("/admin/teams/" + team + "/artifacts", AdminApi.ArtifactList.class);
    PrintWriter out = spec.commandLine().getOut();
    Path target = outputFile.path().toAbsolutePath();
    Path partial = target.resolveSibling(target.getFileName() + ".partial");
    Progress progress = new Progress(out, main.terminal(), "export", list.artifacts().size());
    long written = 0;
    long vanished = 0;
    long bytes = 0;
    try {
      Files.createDirectories(target.getParent());
      try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(partial), 1 << 16);
           TarArchiveOutputStream tar = new TarArchiveOutputStream(file)) {
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        ExportFormat.Manifest manifest = new ExportFormat.Manifest(ExportFormat.VERSION, team,
            Instant.now(), client.baseUrl(), list.artifacts().size());
        putBytes(tar, ExportFormat.MANIFEST, Json.MAPPER.writeValueAsBytes(manifest), manifest.exportedAt());
        for (ArtifactEntry listed : list.artifacts()) {
          HttpResponse<InputStream> r = client.download("/admin/artifacts/" + team + "/" + listed.hash());
          if (r == null) {
            vanished++; // removed (evicted, purged) since the listing
            progress.step(0);
            continue;
          }
          try (InputStream body = r.body()) {
            ArtifactEntry entry = new ArtifactEntry(listed.hash(), fromHeaders(listed.hash(), r));
            long size = entry.metadata().size();
            Instant created = entry.metadata().createdAt();
            Instant mtime = created != null ? created : manifest.exportedAt();
            putBytes(tar, ExportFormat.DIR + entry.hash() + ExportFormat.META_SUFFIX,
                Json.MAPPER.writeValueAsBytes(entry), mtime);
            TarArchiveEntry e = new TarArchiveEntry(ExportFormat.DIR + entry.hash());
            e.setSize(size);
            e.setModTime(FileTime.from(mtime));
            tar.putArchiveEntry(e);
            long copied = body.transferTo(tar);
            if (copied != size) {
              throw new CliException(ExitCodes.FAILED, "artifact " + entry.hash() + ": expected "
                  + size + " bytes, the server sent " + copied);
            }
            tar.closeArchiveEntry();
            written++;
            bytes += size;
            progress.step(size);
          }
        }
        tar.finish();
      }
      Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      deleteQuietly(partial);
      throw new CliException(ExitCodes.FAILED, "export to " + target + " failed: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      deleteQuietly(partial);
      throw e;
    } finally {
      progress.finish();
    }
    out.println("exported " + Counts.of(written, "artifact") + " (" + Sizes.human(bytes) + ") of team " + team
        + " to " + target + (vanished > 0 ? "; " + vanished + " disappeared during the export" : ""));
    return ExitCodes.OK;
  }

  /** The metadata the admin download sent as headers, every field of it. */
  private static ArtifactMetadata fromHeaders(String hash, HttpResponse<?> r) {
    var h = r.headers();
    long size = h.firstValueAsLong("content-length").orElseThrow(() ->
        new CliException(ExitCodes.FAILED, "artifact " + hash + ": the server sent no Content-Length"));
    return ArtifactMetadata.fromText(size, field -> h.firstValue(field.header()).orElse(null));
  }

  private static void putBytes(TarArchiveOutputStream tar, String name, byte[] data, Instant mtime)
      throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setSize(data.length);
    e.setModTime(FileTime.from(mtime));
    tar.putArchiveEntry(e);
    tar.write(data);
    tar.closeArchiveEntry();
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // best effort
    }
  }
}
