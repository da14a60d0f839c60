package dev.turbocache.server.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * The requests {@code train} sends: the kinds a turbo build sends, over keep-alive HTTP/1.1
 * connections, in roughly the proportions a busy cache sees (mostly small hits and misses, some
 * uploads, now and then a large artifact). Every answer is checked, so a server that answers
 * wrongly fails the training instead of leaving a cache recorded from error paths.
 *
 * <p>Sizes: small and medium artifacts are memory-tier hits and uploads stored on the I/O thread;
 * large ones are spooled to a file on upload and, being above the memory tier's artifact limit
 * that {@link TrainCommand} sets, served by the disk tier with a file transfer.
 */
final class TrainingWorkload {
  static final int SMALL = 4 * 1024;
  static final int MEDIUM = 64 * 1024;
  static final int LARGE = 1024 * 1024;
  /** Artifacts of each size uploaded before the mix starts, for the hits. */
  private static final int SEEDED = 32;
  /** Large uploads go to this many hashes, over and over, so the disk use stays bounded. */
  private static final int LARGE_HASHES = 8;

  /** One kind of request. */
  enum Step {
    GET_SMALL, GET_MEDIUM, GET_LARGE, MISS, HEAD, PUT_SMALL, PUT_MEDIUM, PUT_LARGE, QUERY, EVENTS, STATUS
  }

  /**
   * The repeating mix: 100 requests, a large upload and a large hit among them. Misses and
   * small hits dominate, as in a cold and a warm CI run.
   */
  static final List<Step> MIX = mix();

  private final URI base;
  private final String token;
  private final String team;
  private final HttpClient http;
  private final Map<Step, byte[]> bodies = new EnumMap<>(Step.class);
  private final AtomicLong next = new AtomicLong();

  TrainingWorkload(String baseUrl, String token, String team) {
    this.base = URI.create(baseUrl);
    this.token = token;
    this.team = team;
    this.http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10))
        .build();
    bodies.put(Step.PUT_SMALL, content(SMALL, 1));
    bodies.put(Step.PUT_MEDIUM, content(MEDIUM, 2));
    bodies.put(Step.PUT_LARGE, content(LARGE, 3));
  }

  private static List<Step> mix() {
    List<Step> mix = new ArrayList<>();
    for (int i = 0; i < 49; i++) {
      mix.add(i % 7 == 0 ? Step.GET_MEDIUM : Step.GET_SMALL);
      mix.add(i % 5 == 0 ? Step.PUT_SMALL : Step.MISS);
    }
    mix.set(10, Step.PUT_MEDIUM);
    mix.set(20, Step.HEAD);
    mix.set(30, Step.QUERY);
    mix.set(40, Step.EVENTS);
    mix.set(50, Step.STATUS);
    mix.set(60, Step.PUT_MEDIUM);
    mix.add(Step.PUT_LARGE);
    mix.add(Step.GET_LARGE);
    return List.copyOf(mix);
  }

  /**
   * Uploads the artifacts the hits read, then sends {@code requests} requests of the mix over
   * {@code connections} connections, each answered before that connection's next one.
   *
   * @param done called with the size of each request's artifact (0 for those without one)
   */
  void run(long requests, int connections, LongConsumer done)
      throws IOException, InterruptedException {
    for (int i = 0; i < SEEDED; i++) {
      expect(send(put(seedHash(Step.GET_SMALL, i), bodies.get(Step.PUT_SMALL))), 202, "upload");
      expect(send(put(seedHash(Step.GET_MEDIUM, i), bodies.get(Step.PUT_MEDIUM))), 202, "upload");
    }
    for (int i = 0; i < LARGE_HASHES; i++) {
      expect(send(put(seedHash(Step.GET_LARGE, i), bodies.get(Step.PUT_LARGE))), 202, "upload");
    }
    ExecutorService pool = Executors.newFixedThreadPool(connections, r -> {
      Thread t = new Thread(r, "train-client");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<Void>> clients = new ArrayList<>();
      for (int c = 0; c < connections; c++) {
        clients.add(pool.submit(() -> {
          for (long i = next.getAndIncrement(); i < requests; i = next.getAndIncrement()) {
            done.accept(step(MIX.get((int) (i % MIX.size())), i));
          }
          return null;
        }));
      }
      for (Future<Void> client : clients) {
        await(client);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static void await(Future<Void> client) throws IOException, InterruptedException {
    try {
      client.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /** Sends request {@code i} of kind {@code step}; returns the artifact bytes it moved. */
  private long step(Step step, long i) throws IOException, InterruptedException {
    int seeded = (int) (i % SEEDED);
    return switch (step) {
      case GET_SMALL, GET_MEDIUM -> hit(seedHash(step, seeded), step == Step.GET_SMALL ? Step.PUT_SMALL : Step.PUT_MEDIUM);
      case GET_LARGE -> hit(seedHash(step, (int) (i % LARGE_HASHES)), Step.PUT_LARGE);
      case MISS -> {
        expect(send(request(artifact("f1" + hex(i))).GET()), 404, "miss");
        yield 0;
      }
      case HEAD -> {
        expect(send(request(artifact(seedHash(Step.GET_SMALL, seeded)))
            .method("HEAD", HttpRequest.BodyPublishers.noBody())), 200, "HEAD");
        yield 0;
      }
      case PUT_SMALL, PUT_MEDIUM -> upload("f2" + hex(i), step);
      case PUT_LARGE -> upload(seedHash(Step.GET_LARGE, (int) (i % LARGE_HASHES)), step);
      case QUERY -> {
        String json = "{\"hashes\":[\"" + seedHash(Step.GET_SMALL, seeded) + "\",\"f3" + hex(i) + "\"]}";
        expect(send(json("/v8/artifacts", json)), 200, "batch query");
        yield 0;
      }
      case EVENTS -> {
        String json = "[{\"sessionId\":\"0b6c1f43-6f43-4b7b-9f1f-1f0b6c1f4300\",\"source\":\"REMOTE\","
            + "\"event\":\"HIT\",\"hash\":\"" + seedHash(Step.GET_SMALL, seeded) + "\",\"duration\":120}]";
        expect(send(json("/v8/artifacts/events", json)), 200, "events");
        yield 0;
      }
      case STATUS -> {
        expect(send(request("/v8/artifacts/status").GET()), 200, "status");
        yield 0;
      }
    };
  }

  private long hit(String hash, Step upload) throws IOException, InterruptedException {
    HttpResponse<byte[]> r = send(request(artifact(hash)).GET());
    expect(r, 200, "GET");
    if (!Arrays.equals(r.body(), bodies.get(upload))) {
      throw new IllegalStateException("GET " + artifact(hash) + " answered other bytes than were uploaded ("
          + r.body().length + " bytes)");
    }
    return r.body().length;
  }

  private long upload(String hash, Step step) throws IOException, InterruptedException {
    byte[] body = bodies.get(step);
    expect(send(put(hash, body)), 202, "upload");
    return body.length;
  }

  private static String seedHash(Step step, int i) {
    return "e" + step.ordinal() + hex(i);
  }

  private static String hex(long i) {
    return String.format("%014x", i);
  }

  private String artifact(String hash) {
    return "/v8/artifacts/" + hash;
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(base.resolve(path + "?slug=" + team))
        .timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + token);
  }

  private HttpRequest.Builder put(String hash, byte[] body) {
    return request(artifact(hash))
        .header("Content-Type", "application/octet-stream")
        .header("x-artifact-duration", "1200")
        .PUT(HttpRequest.BodyPublishers.ofByteArray(body));
  }

  private HttpRequest.Builder json(String path, String json) {
    return request(path).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json));
  }

  private HttpResponse<byte[]> send(HttpRequest.Builder request) throws IOException, InterruptedException {
    return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static void expect(HttpResponse<byte[]> r, int status, String what) {
    if (r.statusCode() != status) {
      throw new IllegalStateException(what + " " + r.request().method() + " " + r.uri().getPath()
          + " answered " + r.statusCode() + " instead of " + status + ": "
          + new String(r.body(), 0, Math.min(r.body().length, 300), StandardCharsets.UTF_8));
    }
  }

  /** Bytes that differ per size, so a mixed-up answer is caught. */
  private static byte[] content(int size, int seed) {
    byte[] b = new byte[size];
    for (int i = 0; i < size; i++) {
      b[i] = (byte) (i * 31 + seed);
    }
    return b;
  }
}
