package dev.turbocache.server.app;

import static dev.turbocache.server.testing.TestServer.READER;
import static dev.turbocache.server.testing.TestServer.WRITER;
import static dev.turbocache.server.testing.TestServer.artifact;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turbocache.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 200 concurrent clients mixing GET, PUT and HEAD get zero errors. Every client writes
 * the same bytes for a given hash (as turbo does: the hash names the content), so any 200 must
 * carry exactly those bytes, whichever upload it came from.
 */
class ManyClientsTest {
  private static final int CLIENTS = 200;
  private static final int OPS_PER_CLIENT = 6;
  /** Straddle the heap/spool-file threshold (256 KiB) and the 1 MiB direct buffer. */
  private static final int[] SIZES = {1_000, 100_000, 300_000, 1_500_000};
  private static final int HASHES = 24;

  @TempDir Path dir;

  @Test
  void twoHundredConcurrentClientsMixingGetPutHeadSeeNoErrors() throws Exception {
    try (TestServer server = TestServer.start(dir);
        ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Integer>> done = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        int client = c;
        done.add(clients.submit(() -> {
          start.await();
          int ok = 0;
          for (int i = 0; i < OPS_PER_CLIENT; i++) {
            int h = (client * 7 + i * 5) % HASHES;
            switch ((client + i) % 3) {
              case 0 -> assertThat(server.put(artifact(hash(h)), WRITER, body(h)).statusCode())
                  .as("PUT %s", hash(h)).isEqualTo(202);
              case 1 -> {
                HttpResponse<byte[]> get = server.get(artifact(hash(h)), READER);
                assertThat(get.statusCode()).as("GET %s", hash(h)).isIn(200, 404);
                if (get.statusCode() == 200) {
                  assertThat(get.body()).as("GET %s body", hash(h)).isEqualTo(body(h));
                }
              }
              default -> assertThat(server.head(artifact(hash(h)), READER).statusCode())
                  .as("HEAD %s", hash(h)).isIn(200, 404);
            }
            ok++;
          }
          return ok;
        }));
      }
      start.countDown();
      for (Future<Integer> f : done) {
        assertThat(f.get(5, TimeUnit.MINUTES)).isEqualTo(OPS_PER_CLIENT);
      }

      for (int h = 0; h < HASHES; h++) {
        HttpResponse<byte[]> get = server.get(artifact(hash(h)), READER);
        assertThat(get.statusCode()).as("every hash was uploaded at least once").isEqualTo(200);
        assertThat(get.body()).isEqualTo(body(h));
      }
      String metrics = new String(server.get("/metrics", null).body());
      assertThat(metrics).as("no 5xx answered").doesNotContainPattern("status=\"5\\d\\d\"");
    }
  }

  private static String hash(int h) {
    return String.format("%016x", 0xabc000L + h);
  }

  private static byte[] body(int h) {
    byte[] body = new byte[SIZES[h % SIZES.length]];
    for (int i = 0; i < body.length; i++) {
      body[i] = (byte) (i * 31 + h);
    }
    return body;
  }
}
