package dev.turbocache.server.cli;

import java.io.PrintWriter;

/**
 * Progress of a long command: a bar redrawn in place on a terminal, plain lines otherwise (CI
 * logs, pipes): one per tenth of the work, so a log stays short whatever the number of items.
 */
final class Progress {
  private static final int WIDTH = 30;

  private final PrintWriter out;
  private final boolean terminal;
  private final String verb;
  private final String noun;
  private final long total;
  private long done;
  private long bytes;
  private int lastTenth;

  Progress(PrintWriter out, boolean terminal, String verb, long total) {
    this(out, terminal, verb, "artifacts", total);
  }

  /** @param noun what the items are, in the plain lines ("artifacts", "requests") */
  Progress(PrintWriter out, boolean terminal, String verb, String noun, long total) {
    this.out = out;
    this.terminal = terminal;
    this.verb = verb;
    this.noun = noun;
    this.total = total;
  }

  /** One item done, with its size. */
  void step(long itemBytes) {
    done++;
    bytes += itemBytes;
    if (terminal) {
      int filled = total == 0 ? WIDTH : (int) (WIDTH * done / total);
      out.print("\r" + verb + " [" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] "
          + done + "/" + total + "  " + Sizes.human(bytes));
      out.flush();
      return;
    }
    int tenth = total == 0 ? 10 : (int) (10 * done / total);
    if (tenth != lastTenth || done == total) {
      lastTenth = tenth;
      out.println(verb + ": " + done + "/" + total + " " + noun + " (" + (total == 0 ? 100 : 100 * done / total)
          + "%), " + Sizes.human(bytes));
      out.flush();
    }
  }

  /** Ends the bar's line (terminal only). */
  void finish() {
    if (terminal && done > 0) {
      out.println();
      out.flush();
    }
  }
}
