package dev.turbocache.server.jar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turbocache.server.http.UploadTarget;
import dev.turbocache.server.testing.ServerJarProcess;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which thread stores an upload in the packaged jar, seen from outside the server: the jar runs
 * with a flight recording of file writes (through {@code JAVA_TOOL_OPTIONS}, no change to the
 * command), and the recording names the thread that wrote the disk tier's file. A small upload is
 * written by the I/O thread that received it (no hand-over to a worker and back); a larger one,
 * and every one when the disk tier syncs, by a worker.
 */
class UploadThreadJarIT {
  /** XNIO's thread names: {@code XNIO-<worker> I/O-<n>} and {@code XNIO-<worker> task-<n>}. */
  private static final String IO_THREAD = "XNIO-\\d+ I/O-\\d+";
  private static final String WORKER = "XNIO-\\d+ task-\\d+";
  private static final String FILE_WRITES = """
      <?xml version="1.0" encoding="UTF-8"?>
      <configuration version="2.0" label="file writes">
        <event name="jdk.FileWrite">
          <setting name="enabled">true</setting>
          <setting name="threshold">0 ms</setting>
        </event>
      </configuration>
      """;

  @TempDir Path dir;

  @Test
  void aSmallUploadIsWrittenByTheIoThreadThatReceivedIt() throws Exception {
    assertThat(writersOf(Map.of(), 4 * 1024)).allMatch(t -> t.matches(IO_THREAD));
  }

  @Test
  void anUploadAboveTheBoundIsWrittenByAWorker() throws Exception {
    assertThat(writersOf(Map.of(), UploadTarget.STORED_ON_IO_THREAD_MAX + 1)).allMatch(t -> t.matches(WORKER));
  }

  @Test
  void withASyncedDiskEveryUploadIsWrittenByAWorker() throws Exception {
    assertThat(writersOf(Map.of("TURBOCACHE_STORAGE_DISK_FSYNC", "true"), 4 * 1024))
        .allMatch(t -> t.matches(WORKER));
  }

  /**
   * The names of the threads that wrote files under the server's data directory for one upload of
   * {@code size} bytes; the recording is written when the server exits after SIGTERM.
   */
  private List<String> writersOf(Map<String, String> settings, int size) throws Exception {
    Path jfc = Files.writeString(dir.resolve("file-writes.jfc"), FILE_WRITES);
    Path recording = dir.resolve("server.jfr");
    Path serverDir = dir.resolve("server");
    Map<String, String> env = new HashMap<>(settings);
    env.put("JAVA_TOOL_OPTIONS", "-XX:StartFlightRecording=filename=" + recording + ",dumponexit=true,settings="
        + jfc + " -Xlog:jfr+startup=error");
    try (ServerJarProcess server = ServerJarProcess.start(serverDir, env)) {
      assertThat(server.send(server.request("/v8/artifacts/ab" + size + "?slug=" + server.team())
          .PUT(BodyPublishers.ofByteArray(new byte[size]))).statusCode()).isEqualTo(202);
    }
    // The disk tier's directory: the zero-config start also writes its generated token beside it.
    String data = ServerJarProcess.dataHome(serverDir).resolve("turbocache").resolve("artifacts").toString();
    List<String> writers = RecordingFile.readAllEvents(recording).stream()
        .filter(e -> e.getEventType().getName().equals("jdk.FileWrite"))
        .filter(e -> e.getString("path") != null && e.getString("path").startsWith(data))
        .map(UploadThreadJarIT::thread)
        .toList();
    assertThat(writers).as("threads that wrote under %s", data).isNotEmpty();
    return writers;
  }

  private static String thread(RecordedEvent e) {
    return e.getThread().getJavaName();
  }
}
