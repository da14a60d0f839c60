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
  /**
   * The artifact sizes, each with the hashes uploaded before the mix starts, which its hits read.
   * Large uploads go to those same hashes, over and over, so the disk use stays bounded.
   */
  enum Size {
    SMALL(4 * 1024, 32), MEDIUM(64 * 1024, 32), LARGE(1024 * 1024, 8);

    final int bytes;
    final int seeded;

    Size(int bytes, int seeded) {
      this.bytes = bytes;
      this.seeded = seeded;
    }

    /** The seeded hash that request {@code i} of this size reads. */
    String seededHash(long i) {
      return "e" + ordinal() + hex(i % seeded);
    }
  }

  /** One kind of request, with the size of the artifact it moves (null for those without one). */
  enum Step {
    GET_SMALL(Size.SMALL), GET_MEDIUM(Size.MEDIUM), GET_LARGE(Size.LARGE), MISS(null), HEAD(null),
    PUT_SMALL(Size.SMALL), PUT_MEDIUM(Size.MEDIUM), PUT_LARGE(Size.LARGE), QUERY(null), EVENTS(null),
    STATUS(null);

    final Size size;

    Step(Size size) {
      this.size = size;
    }
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
  /** Bytes that differ per size, so a mixed-up answer is caught. */
  private final Map<Size, byte[]> bodies = new EnumMap<>(Size.class);
  private final AtomicLong next = new AtomicLong();

  TrainingWorkload(String baseUrl, String token, String team) {
    this.base = URI.create(baseUrl);
    this.token = token;
    this.team = team;
    this.http = CliHttpClient.create();
    for (Size size : Size.values()) {
      bodies.put(size, content(size.bytes, size.ordinal() + 1));
    }
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
    for (Size size : Size.values()) {
      for (int i = 0; i < size.seeded; i++) {
        upload(size.seededHash(i), size);
      }
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
    String small = Size.SMALL.seededHash(i);
    return switch (step) {
      case GET_SMALL, GET_MEDIUM, GET_LARGE -> hit(step.size.seededHash(i), step.size);
      case MISS -> {
        expect(send(request(artifact("f1" + hex(i))).GET()), 404, "miss");
        yield 0;
      }
      case HEAD -> {
        expect(send(request(artifact(small))
            .method("HEAD", HttpRequest.BodyPublishers.noBody())), 200, "HEAD");
        yield 0;
      }
      case PUT_SMALL, PUT_MEDIUM -> upload("f2" + hex(i), step.size);
      case PUT_LARGE -> upload(Size.LARGE.seededHash(i), Size.LARGE);
      case QUERY -> {
        String json = "{\"hashes\":[\"" + small + "\",\"f3" + hex(i) + "\"]}";
        expect(send(json("/v8/artifacts", json)), 200, "batch query");
        yield 0;
      }
      case EVENTS -> {
        String json = "[{\"sessionId\":\"0b6c1f43-6f43-4b7b-9f1f-1f0b6c1f4300\",\"source\":\"REMOTE\","
            + "\"event\":\"HIT\",\"hash\":\"" + small + "\",\"duration\":120}]";
        expect(send(json("/v8/artifacts/events", json)), 200, "events");
        yield 0;
      }
      case STATUS -> {
        expect(send(request("/v8/artifacts/status").GET()), 200, "status");
        yield 0;
      }
    };
  }

  private long hit(String hash, Size size) throws IOException, InterruptedException {
    HttpResponse<byte[]> r = send(request(artifact(hash)).GET());
    expect(r, 200, "GET");
    if (!Arrays.equals(r.body(), bodies.get(size))) {
      throw new IllegalStateException("GET " + artifact(hash) + " answered other bytes than were uploaded ("
          + r.body().length + " bytes)");
    }
    return r.body().length;
  }

  private long upload(String hash, Size size) throws IOException, InterruptedException {
    byte[] body = bodies.get(size);
    expect(send(put(hash, body)), 202, "upload");
    return body.length;
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

  /** Sends a request; a connection that fails names the request, or the failure says nothing of which. */
  private HttpResponse<byte[]> send(HttpRequest.Builder builder) throws IOException, InterruptedException {
    HttpRequest request = builder.build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new IOException(request.method() + " " + request.uri().getPath() + " got no answer: "
          + withCauses(e), e);
    }
  }

  /**
   * The failure with what caused it: the JDK client's message says only how far it got ("header
   * parser received no bytes"); its cause says whether the connection was closed or reset.
   */
  static String withCauses(Throwable e) {
    StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
    Throwable cause = e.getCause();
    for (int depth = 0; cause != null && depth < 4; depth++, cause = cause.getCause()) {
      text.append(", caused by ").append(cause);
    }
    return text.toString();
  }

  private static void expect(HttpResponse<byte[]> r, int status, String what) {
    if (r.statusCode() != status) {
      throw new IllegalStateException(what + " " + r.request().method() + " " + r.uri().getPath()
          + " answered " + r.statusCode() + " instead of " + status + ": "
          + new String(r.body(), 0, Math.min(r.body().length, 300), StandardCharsets.UTF_8));
    }
  }

  private static byte[] content(int size, int seed) {
    byte[] b = new byte[size];
    for (int i = 0; i < size; i++) {
      b[i] = (byte) (i * 31 + seed);
    }
    return b;
  }
}
