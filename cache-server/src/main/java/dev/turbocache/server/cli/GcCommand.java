package dev.turbocache.server.cli;

import dev.turbocache.server.admin.AdminApi;
import dev.turbocache.server.config.DurationParser;
import java.io.PrintWriter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code gc}: purge by age through a running server (POST /admin/purge). Going through the server
 * rather than opening its storage directly means it works for every tier (remote ones included),
 * never races the server's own writes and evictions on a disk tier it does not own, and needs only
 * the URL and a token, not the server's config and credentials.
 */
@Command(
    name = "gc",
    mixinStandardHelpOptions = true,
    description = {
      "Remove artifacts older than an age from every tier.",
      "Removes the artifacts uploaded longer ago than --older-than from every tier of a running "
          + "server (POST /admin/purge) and reports what was removed. Without --team it needs an "
          + "admin token for every team; with --team, one for that team."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:Success.", "1:The server answered with an error.", "2:Bad arguments.",
      "3:The server could not be reached.", "4:The server refused the token (401/403)."
    })
final class GcCommand implements Callable<Integer> {
  @ParentCommand Main main;
  @Spec CommandSpec spec;
  @Mixin ServerOptions server;

  @Option(names = "--older-than", required = true, paramLabel = "AGE",
      description = "Age: a number with ms, s, m, h or d, e.g. 14d or 12h.")
  String olderThan;

  @Option(names = "--team", paramLabel = "TEAM", description = "Only this team's artifacts.")
  String team;

  @Option(names = "--dry-run", description = "Report what would be removed without removing it.")
  boolean dryRun;

  @Override
  public Integer call() {
    try {
      DurationParser.parse(olderThan);
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw new CliException(ExitCodes.USAGE, "--older-than: " + e.getMessage());
    }
    ServerClient client = server.client(main);
    AdminApi.PurgeResponse r = client.postJson("/admin/purge",
        new AdminApi.PurgeRequest(olderThan, team, dryRun), AdminApi.PurgeResponse.class);
    PrintWriter out = spec.commandLine().getOut();
    out.println((r.dryRun() ? "would remove " : "removed ") + Counts.of(r.removed(), "artifact")
        + " (" + Sizes.human(r.bytes()) + ") uploaded before "
        + r.cutoff() + (team == null ? "" : " for team " + team));
    r.teams().forEach((t, v) ->
        out.println("  " + t + ": " + Counts.of(v.artifacts(), "artifact") + ", " + Sizes.human(v.bytes())));
    if (r.error() != null) {
      out.flush();
      throw new CliException(ExitCodes.FAILED, "the purge stopped part way, "
          + Counts.of(r.remaining(), "old artifact") + (r.remaining() == 1 ? " is" : " are")
          + " still there: " + r.error());
    }
    return ExitCodes.OK;
  }
}
