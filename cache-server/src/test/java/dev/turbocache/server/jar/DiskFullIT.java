package dev.turbocache.server.jar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.turbocache.server.testing.RawHttp;
import dev.turbocache.server.testing.ServerJarProcess;
import dev.turbocache.server.testing.Tmpfs;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged server, zero-config (memory and disk tiers), with its data directory on a 32 MiB
 * tmpfs that fills up: everything stored keeps being served, uploads small (spooled on the heap)
 * and large (spooled to a file) get 507 {@code storage_full}, the server says so in its metrics
 * and stays ready, and once space is freed uploads are stored again without a restart.
 */
class DiskFullIT {
  @TempDir Path dir;
  Tmpfs tmpfs;
  ServerJarProcess server;

  @AfterEach
  void stop() throws Exception {
    try {
      if (server != null) {
        server.close();
      }
    } finally {
      if (tmpfs != null) {
        tmpfs.close();
      }
    }
  }

  @Test
  void aFullDiskServesWhatItHoldsRefusesUploadsWith507AndRecoversWhenSpaceReturns() throws Exception {
    tmpfs = Tmpfs.mount(dir.resolve("data"), 32);
    // The access log stays on: should a request get no answer, its line says what the server sent.
    server = ServerJarProcess.start(dir, Map.of("TURBOCACHE_SERVER_DATA_DIR", tmpfs.path().toString()));

    Map<String, byte[]> stored = new LinkedHashMap<>();
    Random random = new Random(3);
    for (int i = 0; i < 20; i++) {
      // Both spool paths: on the heap up to 256 KiB, a spool file the disk tier adopts above.
      byte[] body = new byte[i % 2 == 0 ? 100_000 : 400_000];
      random.nextBytes(body);
      String hash = "d15c" + Integer.toHexString(0x100 + i);
      assertThat(put(hash, body).statusCode()).as("PUT %s", hash).isEqualTo(202);
      stored.put(hash, body);
    }

    Path filler = tmpfs.fill("filler");
    assertThat(tmpfs.usableBytes()).isZero();

    // More refused uploads than it takes to trip a breaker, before the reads.
    for (int i = 0; i < 8; i++) {
      int size = i % 2 == 0 ? 10_000 : 1_000_000;
      String hash = "f011" + Integer.toHexString(0x10 + i);
      // Sent once each: the count below is theirs.
      String refused = putOnce(hash, new byte[size]);
      assertThat(refused).as("PUT of %d bytes on a full disk; %s", size, server)
          .startsWith("HTTP/1.1 507 ").containsIgnoringCase("\r\ncontent-type: application/json\r\n");
      assertThat(RawHttp.body(refused)).startsWith("{\"error\":{\"code\":\"storage_full\"");
      assertThat(get(hash).statusCode()).as("nothing half-stored").isEqualTo(404);
    }
    for (var e : stored.entrySet()) {
      HttpResponse<byte[]> get = get(e.getKey());
      assertThat(get.statusCode()).as("GET %s on a full disk", e.getKey()).isEqualTo(200);
      assertThat(get.body()).as("bytes of %s", e.getKey()).isEqualTo(e.getValue());
    }
    assertThat(metric("turbocache_uploads_refused_total{reason=\"storage_full\"}"))
        .as("storage_full refusals of the 8 PUTs; %s", server).isEqualTo(8);
    assertThat(metric("turbocache_tier_storage_full{tier=\"disk\"}")).isEqualTo(1);
    assertThat(metric("turbocache_tier_circuit_open{op=\"read\",tier=\"disk\"}")).isZero();
    assertThat(server.send(server.request("/healthz/ready")).statusCode())
        .as("a full disk degrades uploads only: still ready").isEqualTo(200);
    assertThat(server.stderr()).as("%s", server).doesNotContain("Exception");

    Files.delete(filler);
    byte[] after = new byte[500_000];
    random.nextBytes(after);
    await("uploads are stored again once space returns").atMost(Duration.ofSeconds(10))
        .until(() -> put("a7e4", after).statusCode() == 202);
    assertThat(get("a7e4").body()).isEqualTo(after);
    assertThat(metric("turbocache_tier_storage_full{tier=\"disk\"}")).isZero();
    for (String hash : stored.keySet()) {
      assertThat(get(hash).statusCode()).as("GET %s after recovery", hash).isEqualTo(200);
    }
  }

  /** One PUT on a raw connection: RawHttp sends it exactly once. */
  private String putOnce(String hash, byte[] body) {
    try {
      return RawHttp.putOnce(server.port(), artifact(hash), server.token(), body);
    } catch (java.io.IOException e) {
      throw new AssertionError("PUT " + hash + " got no answer: " + e + "; " + server, e);
    }
  }

  private HttpResponse<byte[]> put(String hash, byte[] body) {
    return server.send(server.request(artifact(hash))
        .header("Content-Type", "application/octet-stream").PUT(BodyPublishers.ofByteArray(body)));
  }

  private HttpResponse<byte[]> get(String hash) {
    return server.send(server.request(artifact(hash)));
  }

  private String artifact(String hash) {
    return "/v8/artifacts/" + hash + "?slug=" + server.team();
  }

  private double metric(String series) {
    String text = new String(server.send(server.request("/metrics")).body());
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
    return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
  }
}
