package dev.turbocache.server.cli;

import dev.turbocache.server.app.CacheServer;
import dev.turbocache.server.auth.TokenSetup;
import dev.turbocache.server.config.ConfigLoader;
import dev.turbocache.server.config.TurboCacheConfig;
import dev.turbocache.server.logging.LoggingSetup;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code train}: the training run of a JDK AOT cache. A JVM started with the cache has the
 * server's classes already loaded and linked (and the JIT's profiles of the training run), so a
 * pod is ready sooner: on 2 cores, 1.6–2.3 s from {@code java} to a listening server instead of 2.9–3.9 s.
 * The JIT still compiles at run time, so throughput in the first seconds of load is the same.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Record a JDK AOT cache, for a faster server start (JDK 25+).",
      "Run as 'java -XX:AOTCacheOutput=turbocache-server.aot -jar turbocache-server.jar train'. It "
          + "starts a throw-away server on a loopback port (memory and disk tiers in a temporary "
          + "directory, its log kept only for a failure), sends it the requests a turbo build "
          + "sends (uploads, hits from memory and disk, misses, HEAD, batch queries, events), "
          + "checks every answer and exits; the JVM writes the cache as it exits. Then start the "
          + "server with "
          + "'java -XX:AOTCache=turbocache-server.aot -jar turbocache-server.jar'. The cache fits "
          + "only the JDK build and the jar (same path) it was recorded with; a JVM that cannot "
          + "use it says so and starts without it."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:Trained; the JVM writes the cache as it exits.",
      "1:The throw-away server answered wrongly or could not start (its last log lines follow).",
      "2:Bad arguments, or the JVM records no AOT cache (no -XX:AOTCacheOutput)."
    })
final class TrainCommand implements Callable<Integer> {
  private static final String CACHE_OUTPUT_FLAG = "-XX:AOTCacheOutput=";
  private static final String RECORD_FLAG = "-XX:AOTMode=record";
  private static final int SERVER_LINES_SHOWN = 30;

  @ParentCommand Main main;
  @Spec CommandSpec spec;

  @Option(names = "--requests", paramLabel = "N", defaultValue = "30000",
      description = "Requests to send (default: ${DEFAULT-VALUE}, about 20 s on 2 cores).")
  long requests;

  @Option(names = "--connections", paramLabel = "N", defaultValue = "8",
      description = "Concurrent keep-alive connections (default: ${DEFAULT-VALUE}).")
  int connections;

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (requests < 1 || connections < 1) {
      throw new CliException(ExitCodes.USAGE, "--requests and --connections must be at least 1");
    }
    if (!recordsAotCache(ManagementFactory.getRuntimeMXBean().getInputArguments())) {
      throw new CliException(ExitCodes.USAGE, "this JVM records no AOT cache, so training would be "
          + "lost: run java " + CACHE_OUTPUT_FLAG + "turbocache-server.aot -jar turbocache-server.jar "
          + "train (JDK 25 or later)");
    }
    PrintWriter err = spec.commandLine().getErr();
    Path dir = Files.createTempDirectory("turbocache-train");
    PrintStream stdout = System.out;
    // The throw-away server's log lines (one per request) are rendered as in production, then
    // dropped; the last ones are shown if the training fails, to say what the server answered.
    RecentLines serverLog = new RecentLines(SERVER_LINES_SHOWN);
    try {
      System.setOut(new PrintStream(serverLog, true, StandardCharsets.UTF_8));
      TurboCacheConfig config = new ConfigLoader().load(null, trainingSettings(dir));
      LoggingSetup.apply(config.logging());
      // Client aborts and Undertow's connection closes are debug lines: the ones a failure needs.
      // Undertow's line for each 5xx answer carries a stack trace that says nothing the access
      // line does not.
      LoggingSetup.setLevels(Map.of("dev.turbocache", "debug", "io.undertow.request", "debug",
          "io.undertow.request.error-response", "info"));
      long started = System.nanoTime();
      try (CacheServer server = CacheServer.start(config)) {
        TokenSetup.Suggestion login = server.tokenSuggestion().orElseThrow();
        Progress progress = new Progress(err, main.terminal(), "training", "requests", requests);
        new TrainingWorkload(server.baseUrl(), login.token(), login.team())
            .run(requests, connections, bytes -> {
              synchronized (progress) {
                progress.step(bytes);
              }
            });
        progress.finish();
      } catch (IllegalStateException | IOException e) {
        LoggingSetup.flushAccessLog();
        err.println("the training server's last log lines:");
        serverLog.lines().forEach(line -> err.println("  " + line));
        throw new CliException(ExitCodes.FAILED, "training failed: " + e.getMessage(), e);
      } finally {
        LoggingSetup.flushAccessLog();
      }
      spec.commandLine().getOut().printf("trained with %d requests in %.1f s; the JVM writes the AOT cache as it exits%n",
          requests, (System.nanoTime() - started) / 1e9);
      return ExitCodes.OK;
    } finally {
      System.setOut(stdout);
      deleteTree(dir);
    }
  }

  /** Whether the JVM was told to write an AOT cache (one step, or the record step of two). */
  static boolean recordsAotCache(List<String> jvmArguments) {
    return jvmArguments.stream().anyMatch(a -> a.startsWith(CACHE_OUTPUT_FLAG) || a.equals(RECORD_FLAG));
  }

  /**
   * Built-in defaults (a generated token, memory and disk tiers, JSON access log) in {@code dir}, on
   * a free loopback port; the memory tier's artifact limit is lowered so that the large artifacts of
   * the workload are disk-tier hits.
   */
  static Map<String, String> trainingSettings(Path dir) {
    return Map.of(
        "TURBOCACHE_SERVER_HOST", "127.0.0.1",
        "TURBOCACHE_SERVER_PORT", "0",
        "TURBOCACHE_SERVER_DATA_DIR", dir.toString(),
        "TURBOCACHE_STORAGE_MEMORY_MAX_ARTIFACT_SIZE", "512Ki",
        "TURBOCACHE_LOGGING_FORMAT", "json",
        "TURBOCACHE_LOGGING_ACCESS_LOG", "true");
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
