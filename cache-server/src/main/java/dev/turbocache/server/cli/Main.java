package dev.turbocache.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar turbocache-server.jar [command]}; with no command it serves. */
@Command(
    name = "turbocache-server",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Self-hosted Turborepo remote cache.",
    subcommands = {ServeCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String... args) {
    CommandLine cli = new CommandLine(new Main());
    if (args.length == 0 || args[0].startsWith("--config") || args[0].startsWith("-c")) {
      // Plain `java -jar turbocache-server.jar [--config f]` means serve.
      String[] serve = new String[args.length + 1];
      serve[0] = "serve";
      System.arraycopy(args, 0, serve, 1, args.length);
      return cli.execute(serve);
    }
    return cli.execute(args);
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
