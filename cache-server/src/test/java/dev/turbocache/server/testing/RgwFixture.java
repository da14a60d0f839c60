package dev.turbocache.server.testing;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 control plane on loopback: Ceph RGW 16 from Debian (ceph-mon, a memstore ceph-osd and
 * radosgw) started by the committed {@code rgw/rgw-start.sh} next to this class, on free ports, with
 * an admin S3 user. About 15-20 s to start (a region rename restarts radosgw once). {@link #close()}
 * stops exactly the three daemons it started (their pid files) and removes the data; a shutdown hook
 * does the same if the JVM ends first.
 *
 * <p>RGW 16 needs {@code WHEN_REQUIRED} checksums (it rejects the SDK's default trailing checksums
 * with 400 XAmzContentSHA256Mismatch) and path-style addressing; {@link #s3(Credentials)} builds
 * such a client. It lacks Put/GetBucketEncryption and SSE-S3; SSE-KMS per object works with the keys
 * {@value #KMS_KEY} and testkey-2.
 */
public final class RgwFixture implements AutoCloseable {
  public static final String KMS_KEY = "testkey-1";
  private static final Duration START = Duration.ofMinutes(3);
  private static final Duration STOP = Duration.ofMinutes(1);
  private static final Duration ADMIN = Duration.ofMinutes(1);

  /** An RGW user's S3 keys; its uid is also its IAM user name. */
  public record Credentials(String uid, String accessKey, String secretKey) {}

  private final Path dir;
  private final Path scripts;
  private final int port;
  private final int monPort;
  private final String region;
  private final Duration lifecycleDay;
  private final Credentials admin;
  private final Thread shutdownHook;
  private final AtomicBoolean stopped = new AtomicBoolean();

  private RgwFixture(Path dir, Path scripts, int port, int monPort, String region, Duration lifecycleDay,
      Credentials admin) {
    this.dir = dir;
    this.scripts = scripts;
    this.port = port;
    this.monPort = monPort;
    this.region = region;
    this.lifecycleDay = lifecycleDay;
    this.admin = admin;
    this.shutdownHook = new Thread(this::stopDaemons, "rgw-stop");
  }

  /** True when the Debian packages are installed (.ci/run installs them). */
  public static boolean installed() {
    return List.of("radosgw", "ceph-mon", "ceph-osd", "radosgw-admin", "monmaptool", "curl").stream()
        .allMatch(RgwFixture::onPath);
  }

  private static boolean onPath(String command) {
    String path = System.getenv("PATH");
    return path != null && List.of(path.split(":")).stream().anyMatch(d -> Files.isExecutable(Path.of(d, command)));
  }

  /**
   * @param work a scratch directory (the cluster lives in {@code work/cluster})
   * @param region the zonegroup's api name, i.e. the LocationConstraint CreateBucket accepts
   */
  public static RgwFixture start(Path work, String region) {
    return start(work, region, null);
  }

  /**
   * @param lifecycleDay how long one "day" of a lifecycle rule lasts, so that expiry can be seen
   *     in a test (RGW's {@code rgw lc debug interval}, whole seconds); null: lifecycle rules run
   *     on real days, that is never within a test
   */
  public static RgwFixture start(Path work, String region, Duration lifecycleDay) {
    if (!installed()) {
      throw new IllegalStateException("Ceph RGW is not installed: apt-get install --no-install-recommends radosgw"
          + " ceph-mon ceph-osd curl (.ci/run does)");
    }
    try {
      Files.createDirectories(work);
      Path scripts = Files.createDirectories(work.resolve("scripts"));
      for (String script : List.of("rgw-start.sh", "rgw-stop.sh")) {
        try (InputStream in = RgwFixture.class.getResourceAsStream("rgw/" + script)) {
          if (in == null) {
            throw new IllegalStateException("rgw/" + script + " is missing from the test classpath");
          }
          Files.write(scripts.resolve(script), in.readAllBytes());
        }
      }
      int[] ports = freePorts();
      Credentials admin = new Credentials("testadmin", "admin" + random(), random() + random());
      RgwFixture rgw = new RgwFixture(work.resolve("cluster"), scripts, ports[0], ports[1], region, lifecycleDay, admin);
      Runtime.getRuntime().addShutdownHook(rgw.shutdownHook);
      try {
        rgw.run(START, "bash", scripts.resolve("rgw-start.sh").toString());
      } catch (RuntimeException | Error e) {
        rgw.close();
        throw e;
      }
      return rgw;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The radosgw port, then a mon port whose successor is free too (the mon's v2 address). */
  private static int[] freePorts() throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      try (ServerSocket a = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
          ServerSocket b = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        int mon = b.getLocalPort();
        if (mon < 65535 && free(mon + 1) && mon + 1 != a.getLocalPort()) {
          return new int[] {a.getLocalPort(), mon};
        }
      }
    }
    throw new IOException("no two adjacent free loopback ports");
  }

  private static boolean free(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static String random() {
    return UUID.randomUUID().toString().replace("-", "").substring(0, 16);
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  public String region() {
    return region;
  }

  public Credentials admin() {
    return admin;
  }

  /** A new RGW user (its own account, as far as S3 is concerned) with fresh keys and no bucket quota. */
  public Credentials createUser(String uid) {
    Credentials c = new Credentials(uid, uid + random(), random() + random());
    admin("user", "create", "--uid=" + uid, "--display-name=" + uid, "--access-key=" + c.accessKey(),
        "--secret-key=" + c.secretKey(), "--max-buckets=1000");
    return c;
  }

  /** An S3 client as {@code user}, with the settings RGW 16 needs. The caller closes it. */
  public S3Client s3(Credentials user) {
    return S3Client.builder()
        .endpointOverride(endpoint())
        .forcePathStyle(true)
        .region(Region.of(region))
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(user.accessKey(), user.secretKey())))
        .build();
  }

  /** CreateBucket as {@code user} (who then owns it) in this cluster's region. */
  public void createBucket(Credentials user, String bucket) {
    try (S3Client s3 = s3(user)) {
      s3.createBucket(b -> b.bucket(bucket).createBucketConfiguration(c -> c.locationConstraint(region)));
    }
  }

  /** {@code radosgw-admin <args>} on this cluster; returns its standard output. */
  public String admin(String... args) {
    List<String> command = new ArrayList<>(List.of("radosgw-admin", "-c", dir.resolve("ceph.conf").toString()));
    command.addAll(List.of(args));
    return run(ADMIN, command.toArray(String[]::new));
  }

  private String run(Duration timeout, String... command) {
    try {
      Path out = Files.createTempFile(scripts, "out", ".log");
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      pb.environment().putAll(Map.of(
          "RGW_DIR", dir.toString(),
          "RGW_PORT", String.valueOf(port),
          "RGW_MON_PORT", String.valueOf(monPort),
          "RGW_ACCESS_KEY", admin.accessKey(),
          "RGW_SECRET_KEY", admin.secretKey(),
          "RGW_REGION", region == null ? "" : region,
          "RGW_LC_DEBUG_INTERVAL", lifecycleDay == null ? "-1" : String.valueOf(lifecycleDay.toSeconds())));
      Process p = pb.start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeout + ":\n"
            + Files.readString(out, StandardCharsets.UTF_8));
      }
      String output = Files.readString(out, StandardCharsets.UTF_8);
      Files.deleteIfExists(out);
      if (p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " exited with " + p.exitValue() + ":\n" + output);
      }
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** The daemons (rgw-stop.sh also removes the cluster's data), then the scripts and the work directory. */
  private void stopDaemons() {
    if (stopped.compareAndSet(false, true)) {
      run(STOP, "bash", scripts.resolve("rgw-stop.sh").toString());
      try (var files = Files.list(scripts)) {
        for (Path f : files.toList()) {
          Files.deleteIfExists(f);
        }
        Files.deleteIfExists(scripts);
        Files.deleteIfExists(scripts.getParent());
      } catch (IOException e) {
        // scratch files under the temp directory; the daemons are stopped, which is what matters
      }
    }
  }

  @Override
  public void close() {
    try {
      stopDaemons();
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running or has run
      }
    }
  }
}
