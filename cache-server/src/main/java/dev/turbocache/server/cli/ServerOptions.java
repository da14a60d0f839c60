package dev.turbocache.server.cli;

import picocli.CommandLine.Option;

/** --url and --token, shared by the commands that talk to a running server. */
final class ServerOptions {
  static final String DEFAULT_URL = "http://127.0.0.1:8080";

  @Option(names = {"-u", "--url"}, paramLabel = "URL",
      description = "Base URL of the running server (default: $TURBO_API, else " + DEFAULT_URL + ").")
  String url;

  @Option(names = {"-t", "--token"}, paramLabel = "TOKEN",
      description = "An admin token (default: $TURBO_TOKEN). Prefer the environment variable: "
          + "command lines show up in process lists and shell history.")
  String token;

  ServerClient client(Main main) {
    String base = url != null ? url : main.env().getOrDefault("TURBO_API", DEFAULT_URL);
    String t = token != null ? token : main.env().get("TURBO_TOKEN");
    if (t == null || t.isBlank()) {
      throw new CliException(ExitCodes.USAGE, "no token: pass --token or set TURBO_TOKEN to an admin token");
    }
    return new ServerClient(base, t);
  }
}
