package dev.turbocache.server.jar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turbocache.server.testing.ServerJarProcess;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the packaged jar wrote to its disk tier is served after a restart: the second process
 * finds the artifact by scanning the files (their stored headers) and answers with the bytes and
 * the metadata turbo sent, from the disk tier since the memory tier starts empty.
 */
class DiskRestartJarIT {
  private static final Map<String, String> METADATA = Map.of(
      "x-artifact-duration", "1234",
      "x-artifact-tag", "tag-\"quoted\"-\\back",
      "x-artifact-sha", "a1b2c3d4",
      "x-artifact-dirty-hash", "e5f6");

  @TempDir Path dir;

  @Test
  void anUploadIsServedWithItsMetadataAfterARestart() {
    byte[] body = new byte[10_000];
    new Random(7).nextBytes(body);
    String path = "/v8/artifacts/0123456789abcdef";
    try (ServerJarProcess first = ServerJarProcess.start(dir)) {
      var upload = first.request(path + "?slug=" + first.team()).PUT(BodyPublishers.ofByteArray(body));
      METADATA.forEach(upload::header);
      assertThat(first.send(upload).statusCode()).isEqualTo(202);
    }
    try (ServerJarProcess second = ServerJarProcess.start(dir)) {
      HttpResponse<byte[]> hit = second.send(second.request(path + "?slug=" + second.team()).GET());
      assertThat(hit.statusCode()).isEqualTo(200);
      assertThat(hit.body()).isEqualTo(body);
      METADATA.forEach((name, value) ->
          assertThat(hit.headers().firstValue(name)).as(name).hasValue(value));
    }
  }
}
