package dev.turbocache.server.jar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.turbocache.server.testing.ServerJarProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar's thread counts as the JVM sees the machine: {@code -XX:ActiveProcessorCount}
 * (in {@code JAVA_TOOL_OPTIONS}) stands in for a one- or three-core container. The startup line
 * says what was chosen, and a thread dump of the process shows that many I/O threads.
 */
class ServerThreadsJarIT {
  private static final Pattern IO_THREAD = Pattern.compile("^\"XNIO-\\d+ I/O-\\d+\"", Pattern.MULTILINE);

  @TempDir Path dir;

  @Test
  void oneCoreGetsOneIoThread() throws Exception {
    assertThreads(Map.of("JAVA_TOOL_OPTIONS", "-XX:ActiveProcessorCount=1"), "1 I/O thread, 8 workers", 1);
  }

  @Test
  void threeCoresGetThree() throws Exception {
    assertThreads(Map.of("JAVA_TOOL_OPTIONS", "-XX:ActiveProcessorCount=3"), "3 I/O threads, 24 workers", 3);
  }

  @Test
  void theSettingWinsOverTheCores() throws Exception {
    assertThreads(Map.of("JAVA_TOOL_OPTIONS", "-XX:ActiveProcessorCount=1", "TURBOCACHE_SERVER_IO_THREADS", "2"),
        "2 I/O threads, 8 workers", 2);
  }

  private void assertThreads(Map<String, String> env, String named, int ioThreads) throws Exception {
    try (ServerJarProcess server = ServerJarProcess.start(dir.resolve("server"), env)) {
      await("the listening line of " + server).atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(server.jsonLogLines()).extracting(l -> l.path("message").asText())
              .filteredOn(m -> m.startsWith("listening on "))
              .singleElement().asString().endsWith(", " + named));
      assertThat(IO_THREAD.matcher(threadDump(server.pid())).results().count())
          .as("I/O threads in a thread dump of %s", server).isEqualTo(ioThreads);
    }
  }

  /** {@code jcmd <pid> Thread.print} with the JDK that runs the server. */
  private static String threadDump(long pid) throws IOException, InterruptedException {
    Path jcmd = Path.of(ServerJarProcess.javaCommand()).resolveSibling("jcmd");
    Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "Thread.print")
        .redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("jcmd finished").isTrue();
    assertThat(p.exitValue()).as("jcmd: %s", out).isZero();
    return out;
  }
}
