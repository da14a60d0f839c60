package dev.turbocache.server.jar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turbocache.server.testing.JarCommand;
import dev.turbocache.server.testing.ServerJarProcess;
import dev.turbocache.server.testing.Tmpfs;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.io.TempDir;

/**
 * The documented AOT cache recipe on the packaged jar, with the flags in {@code JAVA_TOOL_OPTIONS}
 * as a container sets them: {@code train} records a cache, and a server started with
 * {@code -XX:AOTMode=on} (which refuses to start when the cache does not fit this JVM and jar)
 * serves from it.
 */
class AotCacheJarIT {
  @TempDir Path dir;

  @Test
  @EnabledForJreRange(min = JRE.JAVA_25, disabledReason = "-XX:AOTCacheOutput needs JDK 25")
  void trainRecordsACacheTheServerStartsWith() throws Exception {
    Path cache = dir.resolve("turbocache-server.aot");
    JarCommand.Result trained = JarCommand.run(dir.resolve("train"),
        Map.of("JAVA_TOOL_OPTIONS", "-XX:AOTCacheOutput=" + cache + " -Xlog:aot=off"),
        "train", "--requests", "2000", "--connections", "4");
    assertThat(trained.exitCode()).as("%s", trained).isZero();
    assertThat(trained.stdout()).as("%s", trained).contains("trained with 2000 requests");
    assertThat(trained.stderr()).as("progress, one line per tenth").contains("training: 2000/2000 requests (100%)");
    assertThat(cache).isRegularFile();
    assertThat(Files.size(cache)).as("cache size").isGreaterThan(1 << 20);

    try (ServerJarProcess server = ServerJarProcess.start(dir.resolve("serve"),
        Map.of("JAVA_TOOL_OPTIONS", "-XX:AOTMode=on -XX:AOTCache=" + cache))) {
      byte[] body = "built with the cache".getBytes();
      String artifact = "/v8/artifacts/ab12?slug=" + server.team();
      assertThat(server.send(server.request(artifact).PUT(BodyPublishers.ofByteArray(body))).statusCode())
          .isEqualTo(202);
      HttpResponse<byte[]> hit = server.send(server.request(artifact));
      assertThat(hit.statusCode()).isEqualTo(200);
      assertThat(hit.body()).isEqualTo(body);
    }
  }

  @Test
  @EnabledForJreRange(min = JRE.JAVA_25, disabledReason = "-XX:AOTMode=record needs JDK 25")
  void aFailedTrainingShowsTheServersLastLogLines() throws Exception {
    // The throw-away server's data directory is under java.io.tmpdir: a 4 MiB disk is full
    // before the seeded uploads are all in, so an upload is answered 507.
    try (Tmpfs tmp = Tmpfs.mount(dir.resolve("tmp"), 4)) {
      JarCommand.Result failed = JarCommand.run(dir.resolve("train"),
          Map.of("JAVA_TOOL_OPTIONS", "-XX:AOTMode=record -Xlog:aot=off"
              + " -XX:AOTConfiguration=" + dir.resolve("x.conf") + " -Djava.io.tmpdir=" + tmp.path()),
          "train", "--requests", "100", "--connections", "2");
      assertThat(failed.exitCode()).as("%s", failed).isEqualTo(1);
      assertThat(failed.stderr()).as("%s", failed)
          .contains("training failed: upload PUT /v8/artifacts/")
          .contains("answered 507 instead of 202")
          .contains("the training server's last log lines:")
          .containsPattern("\\n  \\{.*\"status\":507");
      assertThat(failed.stdout()).doesNotContain("trained");
    }
  }

  @Test
  void trainWithoutACacheToRecordRefusesWithTheCommandToRun() {
    JarCommand.Result refused = JarCommand.run(dir, Map.of(), "train");
    assertThat(refused.exitCode()).as("%s", refused).isEqualTo(2);
    assertThat(refused.stderr())
        .contains("records no AOT cache")
        .contains("java -XX:AOTCacheOutput=turbocache-server.aot -jar turbocache-server.jar train");
    assertThat(refused.stdout()).doesNotContain("trained");
  }
}
