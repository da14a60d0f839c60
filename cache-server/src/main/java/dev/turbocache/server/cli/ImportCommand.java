package dev.turbocache.server.cli;

import dev.turbocache.server.admin.AdminApi.ArtifactEntry;
import dev.turbocache.server.admin.AdminApi;
import dev.turbocache.server.artifact.ArtifactMetadata;
import dev.turbocache.server.artifact.MetadataField;
import dev.turbocache.server.artifact.Team;
import dev.turbocache.server.http.Json;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code import}: restores an {@code export} file into a running server. */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description = {
      "Restore an export file into a running server.",
      "Keeps every artifact's metadata, including its original upload time. Idempotent: artifacts "
          + "the server already holds with the same size are skipped, so an interrupted import can "
          + "simply be run again. Needs an admin token for the target team."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:Success.", "1:The import failed (unreadable file, server error).", "2:Bad arguments.",
      "3:The server could not be reached.", "4:The server refused the token (401/403)."
    })
final class ImportCommand implements Callable<Integer> {
  @ParentCommand Main main;
  @Spec CommandSpec spec;
  @Mixin ServerOptions server;

  @ArgGroup(exclusive = true, multiplicity = "1")
  InputFile inputFile;

  @Option(names = "--team", paramLabel = "TEAM",
      description = "Import into this team instead of the one the file was exported from.")
  String team;

  /** The export file, named as an option or, like tar's, as the argument. */
  static final class InputFile {
    @Option(names = {"-i", "--input"}, paramLabel = "FILE", description = "The export file.")
    Path option;

    @Parameters(paramLabel = "FILE", description = "The export file (the same as --input FILE).")
    Path argument;

    Path path() {
      return option != null ? option : argument;
    }
  }

  @Override
  public Integer call() {
    Path input = inputFile.path();
    if (team != null && !Team.isValid(team)) {
      throw new CliException(ExitCodes.USAGE, "--team '" + team + "' is not a valid team name");
    }
    ServerClient client = server.client(main);
    PrintWriter out = spec.commandLine().getOut();
    long imported = 0;
    long skipped = 0;
    long bytes = 0;
    Progress progress = null;
    String target = team;
    try (InputStream file = new BufferedInputStream(Files.newInputStream(input), 1 << 16);
         TarArchiveInputStream tar = new TarArchiveInputStream(file)) {
      TarArchiveEntry first = tar.getNextEntry();
      if (first == null || !first.getName().equals(ExportFormat.MANIFEST)) {
        throw notAnExport(input, "it does not start with " + ExportFormat.MANIFEST);
      }
      ExportFormat.Manifest manifest = Json.MAPPER.readValue(tar.readAllBytes(), ExportFormat.Manifest.class);
      if (manifest.format() != ExportFormat.VERSION) {
        throw notAnExport(input, "format " + manifest.format() + " (this version reads " + ExportFormat.VERSION + ")");
      }
      if (target == null) {
        target = manifest.team();
      }
      Map<String, Long> present = new HashMap<>();
      for (ArtifactEntry e : client.getJson("/admin/teams/" + target + "/artifacts",
          AdminApi.ArtifactList.class).artifacts()) {
        present.put(e.hash(), e.metadata().size());
      }
      progress = new Progress(out, main.terminal(), "import", manifest.artifacts());
      ArtifactEntry pending = null;
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        String name = entry.getName();
        if (!name.startsWith(ExportFormat.DIR)) {
          continue; // room for later additions to the format
        }
        String rest = name.substring(ExportFormat.DIR.length());
        if (rest.endsWith(ExportFormat.META_SUFFIX)) {
          pending = Json.MAPPER.readValue(tar.readAllBytes(), ArtifactEntry.class);
          continue;
        }
        if (pending == null || !pending.hash().equals(rest)
            || pending.metadata().size() != entry.getSize()) {
          throw notAnExport(input, "the body " + name + " does not follow its metadata");
        }
        String hash = pending.hash();
        ArtifactMetadata meta = pending.metadata();
        pending = null;
        Long have = present.get(hash);
        if (have != null && have == meta.size()) {
          skipped++;
        } else {
          client.upload("/admin/artifacts/" + target + "/" + hash, headers(meta),
              () -> new Unclosable(tar), meta.size());
          imported++;
          bytes += meta.size();
        }
        progress.step(meta.size());
      }
    } catch (NoSuchFileException e) {
      throw new CliException(ExitCodes.USAGE, "no such file: " + input);
    } catch (IOException e) {
      throw new CliException(ExitCodes.FAILED, "reading " + input + " failed: " + e.getMessage(), e);
    } finally {
      if (progress != null) {
        progress.finish();
      }
    }
    out.println("imported " + Counts.of(imported, "artifact") + " (" + Sizes.human(bytes) + ") into team " + target
        + ", skipped " + skipped + " already present");
    return ExitCodes.OK;
  }

  private static CliException notAnExport(Path input, String why) {
    return new CliException(ExitCodes.FAILED, input + " is not a TurboCache export: " + why);
  }

  /** Every field of the metadata as the admin upload reads it, the creation time included. */
  private static Map<String, String> headers(ArtifactMetadata m) {
    Map<String, String> h = new LinkedHashMap<>();
    for (MetadataField field : MetadataField.values()) {
      String text = field.text(m);
      if (text != null) {
        h.put(field.header(), text);
      }
    }
    return h;
  }

  /** The HTTP client closes the body stream it was given; the tar must stay open. */
  private static final class Unclosable extends FilterInputStream {
    Unclosable(InputStream in) {
      super(in);
    }

    @Override
    public void close() {}
  }
}
