package dev.turbocache.server.http;

import static dev.turbocache.server.testing.TestServer.WRITER;
import static dev.turbocache.server.testing.TestServer.artifact;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.turbocache.server.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which thread stores an upload, seen from outside the server: JFR's file-write events name the
 * thread that wrote the disk tier's file. A small upload is written by the I/O thread that
 * received it (no hand-over to a worker and back); a larger one, and every one when the disk
 * tier syncs, by a worker.
 */
class UploadThreadTest {
  /** XNIO's thread names: {@code XNIO-<worker> I/O-<n>} and {@code XNIO-<worker> task-<n>}. */
  private static final String IO_THREAD = "XNIO-\\d+ I/O-\\d+";
  private static final String WORKER = "XNIO-\\d+ task-\\d+";

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

  /** The names of the threads that wrote files under the data directory for one upload of {@code size} bytes. */
  private List<String> writersOf(Map<String, String> settings, int size) throws Exception {
    List<String> writers = new CopyOnWriteArrayList<>();
    try (TestServer server = TestServer.start(dir, settings);
        RecordingStream jfr = new RecordingStream()) {
      String data = dir.resolve("data").toString();
      jfr.enable("jdk.FileWrite").withThreshold(Duration.ZERO);
      jfr.onEvent("jdk.FileWrite", e -> {
        String path = e.getString("path");
        if (path != null && path.startsWith(data)) {
          writers.add(e.getThread().getJavaName());
        }
      });
      jfr.startAsync();
      assertThat(server.put(artifact("ab" + size), WRITER, new byte[size]).statusCode()).isEqualTo(202);
      // JFR hands events to the stream about once a second.
      await().atMost(Duration.ofSeconds(20)).until(() -> !writers.isEmpty());
    }
    return writers;
  }
}
