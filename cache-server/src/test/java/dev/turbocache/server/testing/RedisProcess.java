package dev.turbocache.server.testing;

import static org.awaitility.Awaitility.await;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code redis-server} (or sentinel) process for tests, on a random free loopback port,
 * with its files in its own directory, never persisting anything ({@code --save "" --appendonly
 * no}). Plus a minimal RESP client for admin commands, so tests check Redis state independently
 * of the store under test.
 *
 * <p>The binary is chosen by {@link RedisBinary}.
 */
public final class RedisProcess implements AutoCloseable {

  private static final Duration STARTUP = Duration.ofSeconds(15);

  private final Path dir;
  private final int port;
  private final List<String> command;
  private final Path log;
  private Process process;

  private RedisProcess(Path dir, int port, List<String> command, Path log) {
    this.dir = dir;
    this.port = port;
    this.command = command;
    this.log = log;
  }

  /** A Redis server on a free port; {@code extraArgs} like {@code "--requirepass", "pw"}. */
  public static RedisProcess start(Path dir, String... extraArgs) throws IOException {
    IOException last = null;
    // A free port can be taken by someone else before redis binds it: then try another.
    for (int attempt = 0; attempt < 3; attempt++) {
      RedisProcess redis = server(dir, freePort(), extraArgs);
      try {
        redis.start();
        return redis;
      } catch (IOException e) {
        redis.kill();
        last = e;
      }
    }
    throw last;
  }

  /** A server process for a given port, not started yet. */
  public static RedisProcess server(Path dir, int port, String... extraArgs) throws IOException {
    Path home = Files.createDirectories(dir.resolve("redis-" + port));
    Path log = home.resolve("redis.log");
    List<String> command = new ArrayList<>(List.of(
        RedisBinary.path(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no", "--daemonize", "no",
        "--dir", home.toString(), "--logfile", log.toString()));
    command.addAll(List.of(extraArgs));
    return new RedisProcess(home, port, command, log);
  }

  /**
   * A sentinel on a free port monitoring {@code mymaster} at {@code masterPort}, quorum 2, with
   * short timeouts so a failover completes within seconds.
   */
  public static RedisProcess sentinel(Path dir, int masterPort) throws IOException {
    int port = freePort();
    Path home = Files.createDirectories(dir.resolve("sentinel-" + port));
    Path log = home.resolve("sentinel.log");
    Path conf = home.resolve("sentinel.conf");
    Files.writeString(conf, String.join("\n",
        "port " + port,
        "bind 127.0.0.1",
        "daemonize no",
        "dir " + home,
        "logfile " + log,
        "sentinel resolve-hostnames no",
        "sentinel monitor mymaster 127.0.0.1 " + masterPort + " 2",
        "sentinel down-after-milliseconds mymaster 1000",
        "sentinel failover-timeout mymaster 5000",
        "sentinel parallel-syncs mymaster 1",
        ""));
    RedisProcess sentinel =
        new RedisProcess(home, port, List.of(RedisBinary.path(), conf.toString(), "--sentinel"), log);
    sentinel.start();
    return sentinel;
  }

  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  public int port() {
    return port;
  }

  /** Starts the process (again, on the same port) and waits until it answers PING. */
  public void start() throws IOException {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException("already running on " + port);
    }
    process = new ProcessBuilder(command)
        .directory(dir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("stdout.log").toFile()))
        .start();
    try {
      await().atMost(STARTUP).pollInterval(Duration.ofMillis(20)).until(() -> {
        if (!process.isAlive()) {
          return true;
        }
        try {
          call("PING");
          return true;
        } catch (IOException | RespError e) {
          // RespError: e.g. NOAUTH, which also means it is up
          return e instanceof RespError;
        }
      });
    } catch (RuntimeException e) {
      throw new IOException("redis on port " + port + " did not start: " + logTail(), e);
    }
    if (!process.isAlive()) {
      throw new IOException("redis on port " + port + " exited at startup: " + logTail());
    }
  }

  /** SIGTERM and wait: a clean shutdown that closes client connections. */
  public void stop() {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** SIGKILL, as a crash. */
  public void kill() {
    if (process == null) {
      return;
    }
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  @Override
  public void close() {
    kill();
  }

  /** Deletes a test's redis directory tree (after its processes stopped). */
  public static void deleteTree(Path root) {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String logTail() {
    try {
      List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  // ---- a minimal RESP client ----

  /** A Redis error reply. */
  public static final class RespError extends RuntimeException {
    RespError(String message) {
      super(message);
    }
  }

  /** One command on a fresh connection; the reply as String, Long, List or null. */
  public Object call(String... args) throws IOException {
    return call(port, null, args);
  }

  /** Like {@link #call(String...)}, authenticating first. */
  public Object callAuth(String password, String... args) throws IOException {
    return call(port, password, args);
  }

  public static Object call(int port, String password, String... args) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      InputStream in = new BufferedInputStream(socket.getInputStream());
      if (password != null) {
        write(out, "AUTH", password);
        read(in);
      }
      write(out, args);
      return read(in);
    }
  }

  /** Sends binary-safe arguments. */
  public static Object callBytes(int port, byte[]... args) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      writeBytes(out, args);
      return read(new BufferedInputStream(socket.getInputStream()));
    }
  }

  private static void write(OutputStream out, String... args) throws IOException {
    byte[][] bytes = new byte[args.length][];
    for (int i = 0; i < args.length; i++) {
      bytes[i] = args[i].getBytes(StandardCharsets.UTF_8);
    }
    writeBytes(out, bytes);
  }

  private static void writeBytes(OutputStream out, byte[]... args) throws IOException {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    buffer.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
    for (byte[] arg : args) {
      buffer.writeBytes(("$" + arg.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
      buffer.writeBytes(arg);
      buffer.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    out.write(buffer.toByteArray());
    out.flush();
  }

  private static Object read(InputStream in) throws IOException {
    int type = in.read();
    String line = readLine(in);
    return switch (type) {
      case '+' -> line;
      case '-' -> throw new RespError(line);
      case ':' -> Long.parseLong(line);
      case '$' -> {
        int length = Integer.parseInt(line);
        if (length < 0) {
          yield null;
        }
        byte[] data = in.readNBytes(length);
        in.readNBytes(2);
        yield new String(data, StandardCharsets.UTF_8);
      }
      case '*' -> {
        int count = Integer.parseInt(line);
        if (count < 0) {
          yield null;
        }
        List<Object> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
          items.add(read(in));
        }
        yield items;
      }
      case -1 -> throw new IOException("connection closed");
      default -> throw new IOException("unexpected reply type " + (char) type);
    };
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    int b;
    while ((b = in.read()) != -1) {
      if (b == '\r') {
        in.read();
        break;
      }
      line.append((char) b);
    }
    return line.toString();
  }
}
