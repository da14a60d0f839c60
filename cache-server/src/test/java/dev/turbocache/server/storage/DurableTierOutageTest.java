package dev.turbocache.server.storage;

import static dev.turbocache.server.testing.TestServer.READER;
import static dev.turbocache.server.testing.TestServer.WRITER;
import static dev.turbocache.server.testing.TestServer.artifact;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.turbocache.server.testing.S3ProxyFixture;
import dev.turbocache.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The server over HTTP, with the default circuit breaker and retry settings, while S3, its
 * durable tier, goes away long enough for the breakers to open and comes back: uploads and the
 * write-back queue recover within seconds of S3's return.
 */
class DurableTierOutageTest {
  @TempDir Path dir;
  S3ProxyFixture s3;
  String bucket;
  TestServer server;

  @BeforeEach
  void startS3() throws Exception {
    s3 = S3ProxyFixture.start(dir.resolve("s3"));
    bucket = s3.createBucket();
  }

  @AfterEach
  void stopAll() throws Exception {
    if (server != null) {
      server.close();
    }
    s3.close();
  }

  TestServer start(String writePolicy) {
    Map<String, String> env = new HashMap<>();
    env.put("TURBOCACHE_STORAGE_TIERS", "memory,s3");
    env.put("TURBOCACHE_STORAGE_WRITE_POLICY", writePolicy);
    env.put("TURBOCACHE_STORAGE_S3_BUCKET", bucket);
    env.put("TURBOCACHE_STORAGE_S3_ENDPOINT", s3.endpoint().toString());
    env.put("TURBOCACHE_STORAGE_S3_FORCE_PATH_STYLE", "true");
    env.put("TURBOCACHE_STORAGE_S3_REGION", S3ProxyFixture.REGION);
    env.put("TURBOCACHE_STORAGE_S3_ACCESS_KEY_ID", S3ProxyFixture.IDENTITY);
    env.put("TURBOCACHE_STORAGE_S3_SECRET_ACCESS_KEY", S3ProxyFixture.CREDENTIAL);
    env.put("TURBOCACHE_STORAGE_S3_REQUEST_TIMEOUT", "5s");
    server = TestServer.start(dir, env);
    return server;
  }

  /** Small ones fit the memory tier; the 9 MiB one only S3 (and the queue) can hold. */
  static Map<String, byte[]> artifacts() {
    Map<String, byte[]> out = new LinkedHashMap<>();
    Random random = new Random(7);
    for (int i = 0; i < 5; i++) {
      byte[] b = new byte[10_000 + i];
      random.nextBytes(b);
      out.put("aa0" + i, b);
    }
    byte[] big = new byte[9 << 20];
    random.nextBytes(big);
    out.put("bb01", big);
    return out;
  }

  double metric(String name) {
    String text = new String(server.get("/metrics", null).body());
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\S+)$").matcher(text);
    return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
  }

  /** Waits (S3 being down) until the breaker for S3 writes has opened, then restarts S3. */
  void restartS3OnceTheWriteBreakerIsOpen() throws Exception {
    await("the s3 write breaker opens").atMost(Duration.ofSeconds(60)).until(() ->
        metric("turbocache_tier_circuit_open{op=\"write\",tier=\"s3\"}") == 1);
    s3.restart();
  }

  boolean inS3(String hash) {
    try (S3Client client = s3.client()) {
      client.headObject(b -> b.bucket(bucket).key("turbo/acme/" + hash));
      return true;
    } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException e) {
      return false;
    } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
      if (e.statusCode() == 404) {
        return false;
      }
      throw e;
    }
  }

  @Test
  void writeBackAcceptsUploadsWhileS3IsDownAndDeliversThemWhenItReturns() throws Exception {
    start("write-back");
    s3.stop();
    Map<String, byte[]> artifacts = artifacts();
    artifacts.forEach((hash, body) ->
        assertThat(server.put(artifact(hash), WRITER, body).statusCode()).as(hash).isEqualTo(202));
    assertThat(metric("turbocache_writeback_queue_entries")).isEqualTo(artifacts.size());
    artifacts.forEach((hash, body) ->
        assertThat(server.get(artifact(hash), READER).body()).as(hash).isEqualTo(body));
    assertThat(server.get("/healthz/ready", null).statusCode()).as("the queue can take writes").isEqualTo(200);

    restartS3OnceTheWriteBreakerIsOpen();
    await("the queue drains").atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(metric("turbocache_writeback_queue_entries")).isZero());
    for (String hash : artifacts.keySet()) {
      assertThat(inS3(hash)).as("%s reached S3", hash).isTrue();
    }
  }

  @Test
  void aRestartedServerResumesItsQueue() throws Exception {
    start("write-back");
    s3.stop();
    Map<String, byte[]> artifacts = artifacts();
    artifacts.forEach((hash, body) ->
        assertThat(server.put(artifact(hash), WRITER, body).statusCode()).isEqualTo(202));
    server.close(); // drain times out (S3 is down); the queue stays on disk
    server = null;

    s3.restart();
    start("write-back");
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      assertThat(metric("turbocache_writeback_queue_entries")).isZero();
      for (String hash : artifacts.keySet()) {
        assertThat(inS3(hash)).as("%s reached S3", hash).isTrue();
      }
    });
    artifacts.forEach((hash, body) ->
        assertThat(server.get(artifact(hash), READER).body()).as(hash).isEqualTo(body));
  }

  @Test
  void writeThroughRefusesUploadsServesCachedHitsAndRecovers() throws Exception {
    start("write-through");
    byte[] cached = new byte[4096];
    assertThat(server.put(artifact("cc01"), WRITER, cached).statusCode()).isEqualTo(202);
    assertThat(server.get(artifact("cc01"), READER).body()).as("read once: now in memory").isEqualTo(cached);
    assertThat(server.get("/healthz/ready", null).statusCode()).isEqualTo(200);

    s3.stop();
    HttpResponse<byte[]> refused = server.put(artifact("cc02"), WRITER, new byte[100]);
    assertThat(refused.statusCode()).isEqualTo(503);
    for (int i = 0; i < 10; i++) {
      assertThat(server.put(artifact("cc0" + (3 + i)), WRITER, new byte[100]).statusCode()).isEqualTo(503);
    }
    assertThat(refused.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(new String(refused.body())).contains("\"code\":\"storage_unavailable\"");
    assertThat(server.get(artifact("cc01"), READER).body()).as("served by the memory tier").isEqualTo(cached);
    assertThat(server.get(artifact("cc02"), READER).statusCode()).as("nothing half-stored").isEqualTo(404);
    assertThat(server.get("/healthz/ready", null).statusCode()).isEqualTo(503);

    restartS3OnceTheWriteBreakerIsOpen();
    await("uploads are stored again").atMost(Duration.ofSeconds(10)).until(() ->
        server.put(artifact("cc02"), WRITER, new byte[100]).statusCode() == 202);
    assertThat(inS3("cc02")).isTrue();
    await("ready again").atMost(Duration.ofSeconds(10)).until(() ->
        server.get("/healthz/ready", null).statusCode() == 200);
  }
}
