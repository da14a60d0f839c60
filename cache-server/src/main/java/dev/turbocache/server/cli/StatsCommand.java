package dev.turbocache.server.cli;

import dev.turbocache.server.admin.AdminApi;
import dev.turbocache.server.http.Json;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code stats}: the admin stats of a running server as tables. */
@Command(
    name = "stats",
    mixinStandardHelpOptions = true,
    description = {
      "Show hits, misses and sizes per tier and per team.",
      "Reads hits, misses, hit ratios, entries and sizes from a running server (GET /admin/stats); "
          + "needs an admin token for every team. Counts run since the server started or since "
          + "the last reset (POST /admin/stats/reset)."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:Success.", "1:The server answered with an error.", "2:Bad arguments.",
      "3:The server could not be reached.", "4:The server refused the token (401/403)."
    })
final class StatsCommand implements Callable<Integer> {
  @ParentCommand Main main;
  @Spec CommandSpec spec;
  @Mixin ServerOptions server;

  @Option(names = "--json", description = "Print the raw JSON answer instead of tables.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    ServerClient client = server.client(main);
    AdminApi.Stats stats = client.getJson("/admin/stats", AdminApi.Stats.class);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(stats));
      return ExitCodes.OK;
    }
    out.println("TurboCache at " + client.baseUrl() + ", counting since " + stats.since());
    out.println();
    List<String[]> tiers = new ArrayList<>();
    tiers.add(new String[] {"TIER", "HITS", "MISSES", "ERRORS", "HIT RATIO", "ENTRIES", "SIZE"});
    for (AdminApi.TierStats t : stats.tiers()) {
      tiers.add(new String[] {t.name(), n(t.hits()), n(t.misses()), n(t.errors()), pct(t.hitRatio()),
          t.entries() == null ? "?" : n(t.entries()), t.bytes() == null ? "?" : Sizes.human(t.bytes())});
    }
    table(out, tiers);
    out.println();
    List<String[]> teams = new ArrayList<>();
    teams.add(new String[] {"TEAM", "HITS", "MISSES", "HIT RATIO", "UPLOADS", "UPLOADED", "ENTRIES", "SIZE"});
    for (AdminApi.TeamRow t : stats.teams()) {
      teams.add(new String[] {t.team(), n(t.hits()), n(t.misses()), pct(t.hitRatio()), n(t.uploads()),
          Sizes.human(t.uploadedBytes()), n(t.entries()), Sizes.human(t.bytes())});
    }
    AdminApi.Totals total = stats.totals();
    teams.add(new String[] {"TOTAL", n(total.hits()), n(total.misses()), pct(total.hitRatio()), "", "",
        total.entries() == null ? "?" : n(total.entries()),
        total.bytes() == null ? "?" : Sizes.human(total.bytes())});
    table(out, teams);
    return ExitCodes.OK;
  }

  private static String n(long v) {
    return Long.toString(v);
  }

  private static String pct(Double ratio) {
    return ratio == null ? "-" : String.format(Locale.ROOT, "%.1f%%", ratio * 100);
  }

  /** Left-aligned first column, right-aligned numbers. */
  static void table(PrintWriter out, List<String[]> rows) {
    int cols = rows.getFirst().length;
    int[] width = new int[cols];
    for (String[] r : rows) {
      for (int i = 0; i < cols; i++) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    for (String[] r : rows) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < cols; i++) {
        if (i > 0) {
          sb.append("  ");
        }
        String pad = " ".repeat(width[i] - r[i].length());
        sb.append(i == 0 ? r[i] + pad : pad + r[i]);
      }
      out.println(sb.toString().stripTrailing());
    }
  }
}
