package dev.turbocache.server.cli;

import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar turbocache-server.jar [command]}; with no command it serves. */
@Command(
    name = "turbocache-server",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    // One array element per paragraph: picocli wraps each one to the terminal width.
    description = {
      "Self-hosted Turborepo remote cache.",
      "Without a command it serves (same as 'serve'). The other commands talk to a running "
          + "server's admin API (--url, default $TURBO_API; --token, default $TURBO_TOKEN), "
          + "except 'token' and 'check', which need no server, and 'train', which runs its own."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:Success.",
      "1:The operation failed.",
      "2:Bad arguments.",
      "3:The server could not be reached.",
      "4:The server refused the token (401/403)."
    },
    subcommands = {
      ServeCommand.class,
      StatsCommand.class,
      GcCommand.class,
      ExportCommand.class,
      ImportCommand.class,
      RevokeCommand.class,
      TokenCommand.class,
      CheckCommand.class,
      TrainCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  private final Map<String, String> env;
  private final boolean terminal;

  Main(Map<String, String> env, boolean terminal) {
    this.env = env;
    this.terminal = terminal;
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String... args) {
    return run(System.getenv(), System.console() != null,
        new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
  }

  /**
   * Runs one command line with the given environment and output streams (tests run commands
   * in-process this way).
   *
   * @param terminal whether output goes to a terminal (progress bars instead of progress lines)
   */
  public static int run(Map<String, String> env, boolean terminal, PrintWriter out, PrintWriter err,
      String... args) {
    CommandLine cli = new CommandLine(new Main(env, terminal));
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      if (e instanceof CliException c) {
        cmd.getErr().println("turbocache: " + c.getMessage());
        cmd.getErr().flush();
        return c.exitCode();
      }
      cmd.getErr().println("turbocache: unexpected failure: " + e);
      cmd.getErr().flush();
      return ExitCodes.FAILED;
    });
    try {
      if (args.length == 0 || (args[0].startsWith("-") && cli.getCommandSpec().findOption(args[0]) == null)) {
        // Plain `java -jar turbocache-server.jar [--config f] [--port p] ...` means serve: an
        // option that is not the command's own (--help, --version) is one of serve's.
        String[] serve = new String[args.length + 1];
        serve[0] = "serve";
        System.arraycopy(args, 0, serve, 1, args.length);
        return cli.execute(serve);
      }
      return cli.execute(args);
    } finally {
      out.flush();
      err.flush();
    }
  }

  Map<String, String> env() {
    return env;
  }

  boolean terminal() {
    return terminal;
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
