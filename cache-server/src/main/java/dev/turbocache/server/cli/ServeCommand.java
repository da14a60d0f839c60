package dev.turbocache.server.cli;

import dev.turbocache.server.app.CacheServer;
import dev.turbocache.server.app.ServerStartException;
import dev.turbocache.server.auth.TokenSetup;
import dev.turbocache.server.config.ConfigException;
import dev.turbocache.server.config.ConfigLoader;
import dev.turbocache.server.config.TurboCacheConfig;
import dev.turbocache.server.logging.LoggingSetup;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the server until SIGTERM/SIGINT, then shuts down gracefully. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Start the cache server.",
      "With no configuration it listens on 127.0.0.1:8080, keeps a memory and a disk tier under "
          + "the per-user data directory and prints the TURBO_API/TURBO_TOKEN/TURBO_TEAM line to "
          + "paste.",
      "Settings come from built-in defaults, then --config, then TURBOCACHE_* environment "
          + "variables, then --host, --port and --data-dir."
    })
final class ServeCommand implements Callable<Integer> {
  @Option(names = {"-c", "--config"}, paramLabel = "FILE",
      description = "YAML config file (default: $TURBOCACHE_CONFIG, else built-in defaults). "
          + "TURBOCACHE_* environment variables override it; see docs/configuration.md.")
  Path config;

  @Option(names = "--host", paramLabel = "ADDRESS",
      description = "Interface to listen on (server.host; 0.0.0.0 in a container).")
  String host;

  @Option(names = "--port", paramLabel = "PORT",
      description = "TCP port (server.port; 0 picks a free one).")
  Integer port;

  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "Where the disk tier, upload spool and generated token live (server.dataDir).")
  String dataDir;

  @Override
  public Integer call() throws InterruptedException {
    TurboCacheConfig cfg;
    try {
      cfg = new ConfigLoader().load(ConfigLoader.configFile(config, System.getenv()), withFlags(System.getenv()));
    } catch (ConfigException e) {
      return refused(e, ExitCodes.USAGE);
    }
    LoggingSetup.apply(cfg.logging());
    CacheServer server;
    try {
      server = CacheServer.start(cfg);
    } catch (ConfigException e) {
      // The tokens file, which is read as the server starts.
      return refused(e, ExitCodes.USAGE);
    } catch (ServerStartException e) {
      return refused(e, ExitCodes.FAILED);
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      LoggingSetup.flushAccessLog();
      stopped.countDown();
    }, "turbocache-shutdown"));
    printReadyLine(server);
    stopped.await();
    return 0;
  }

  private static int refused(RuntimeException e, int exitCode) {
    System.err.println("turbocache: " + e.getMessage());
    return exitCode;
  }

  /** The options above as the variables they stand for, so they override those and the file. */
  private Map<String, String> withFlags(Map<String, String> env) {
    Map<String, String> merged = new HashMap<>(env);
    putIfSet(merged, "server.host", host);
    putIfSet(merged, "server.port", port);
    putIfSet(merged, "server.dataDir", dataDir);
    return merged;
  }

  private static void putIfSet(Map<String, String> env, String setting, Object value) {
    if (value != null) {
      env.put(ConfigLoader.envName(setting), value.toString());
    }
  }

  private static void printReadyLine(CacheServer server) {
    System.out.println();
    System.out.println("TurboCache is ready. Point turbo at it:");
    System.out.println();
    System.out.println("  " + exportLine(server.baseUrl(), server.tokenSuggestion()));
    System.out.println();
    System.out.flush();
  }

  /** The line to paste: a token (or which one to take from the tokens file) and a team it may use. */
  static String exportLine(String baseUrl, Optional<TokenSetup.Suggestion> suggestion) {
    String token = suggestion.map(s -> s.token() != null ? s.token()
        : "<the token named '" + s.tokenName() + "' in your tokens file>")
        .orElse("<a token from your tokens file>");
    String team = suggestion.map(TokenSetup.Suggestion::team).orElse("<a team of that token>");
    return "export TURBO_API=" + baseUrl + " TURBO_TOKEN=" + token + " TURBO_TEAM=" + team;
  }
}
