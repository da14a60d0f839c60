package dev.turbocache.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turbocache.server.testing.TestServer;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingWorkloadTest {
  @TempDir Path dir;

  @Test
  void sendsTheWholeMixAndChecksEveryAnswer() throws Exception {
    try (TestServer server = TestServer.start(dir)) {
      AtomicLong requests = new AtomicLong();
      AtomicLong bytes = new AtomicLong();
      new TrainingWorkload(server.baseUrl(), TestServer.WRITER, TestServer.TEAM)
          .run(TrainingWorkload.MIX.size() * 2L, 3, b -> {
            requests.incrementAndGet();
            bytes.addAndGet(b);
          });
      assertThat(requests).hasValue(TrainingWorkload.MIX.size() * 2L);
      // Twice through the mix: its uploads and hits, large ones included, each moved its bytes.
      long perMix = TrainingWorkload.MIX.stream().mapToLong(TrainingWorkloadTest::bytesOf).sum();
      assertThat(bytes).hasValue(perMix * 2);
    }
  }

  @Test
  void theMixHasEveryKindOfRequest() {
    assertThat(TrainingWorkload.MIX).hasSize(100)
        .containsAll(List.of(TrainingWorkload.Step.values()));
  }

  @Test
  void aWrongAnswerFailsTheTraining() throws Exception {
    try (TestServer server = TestServer.start(dir)) {
      // A read-only token: the first upload is refused (403), which the workload reports.
      TrainingWorkload readOnly = new TrainingWorkload(server.baseUrl(), TestServer.READER, TestServer.TEAM);
      assertThatThrownBy(() -> readOnly.run(10, 1, b -> {}))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("answered 403 instead of 202");
    }
  }

  @Test
  void aConnectionClosedWithoutAnAnswerNamesTheRequest() throws Exception {
    try (ServerSocket closer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread.ofVirtual().start(() -> {
        while (!closer.isClosed()) {
          try (Socket s = closer.accept()) {
            s.getInputStream().read();
          } catch (IOException closed) {
            return;
          }
        }
      });
      TrainingWorkload workload = new TrainingWorkload(
          "http://127.0.0.1:" + closer.getLocalPort(), TestServer.WRITER, TestServer.TEAM);
      assertThatThrownBy(() -> workload.run(1, 1, b -> {}))
          .isInstanceOf(IOException.class)
          .hasMessageStartingWith("PUT /v8/artifacts/")
          .hasMessageContaining("got no answer");
    }
  }

  @Test
  void aFailureSaysWhatEndedTheConnection() {
    IOException e = new IOException("HTTP/1.1 header parser received no bytes",
        new EOFException("EOF reached while reading"));
    assertThat(TrainingWorkload.withCauses(e)).isEqualTo("HTTP/1.1 header parser received no "
        + "bytes, caused by java.io.EOFException: EOF reached while reading");
  }

  @Test
  void recordsOnlyWhenTheJvmWritesACache() {
    assertThat(TrainCommand.recordsAotCache(List.of("-XX:AOTCacheOutput=/app/x.aot"))).isTrue();
    assertThat(TrainCommand.recordsAotCache(List.of("-Xmx1g", "-XX:AOTMode=record"))).isTrue();
    assertThat(TrainCommand.recordsAotCache(List.of("-XX:AOTCache=/app/x.aot"))).isFalse();
    assertThat(TrainCommand.recordsAotCache(List.of())).isFalse();
  }

  private static long bytesOf(TrainingWorkload.Step step) {
    return switch (step) {
      case GET_SMALL, PUT_SMALL -> TrainingWorkload.Size.SMALL.bytes;
      case GET_MEDIUM, PUT_MEDIUM -> TrainingWorkload.Size.MEDIUM.bytes;
      case GET_LARGE, PUT_LARGE -> TrainingWorkload.Size.LARGE.bytes;
      default -> 0;
    };
  }
}
