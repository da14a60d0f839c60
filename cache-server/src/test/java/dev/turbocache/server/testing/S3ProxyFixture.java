package dev.turbocache.server.testing;

import static org.awaitility.Awaitility.await;

import dev.turbocache.server.config.ByteSize;
import dev.turbocache.server.config.TurboCacheConfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.gaul.s3proxy.S3ErrorCode;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.S3ProxyException;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * An in-process S3 API: S3Proxy on a loopback port over its filesystem blob store (S3Proxy 4.x
 * replaced jclouds with its own stores; {@code filesystem} is the same on-disk store), so bodies
 * live in files under a temp directory, not on the heap. Signed requests with fixed test
 * credentials, path-style bucket addressing.
 *
 * <p>{@link #stop()} and {@link #restart()} simulate an outage: the data stays, and the server
 * comes back on the same port, so clients configured with the endpoint reconnect.
 */
public final class S3ProxyFixture implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
  public static final String IDENTITY = "turbocache-test";
  public static final String CREDENTIAL = "turbocache-test-secret";
  public static final String REGION = "us-east-1";

  private static final AtomicInteger BUCKETS = new AtomicInteger();

  private final FixtureBlobStore blobStore;
  private S3Proxy proxy;
  private int port;

  private S3ProxyFixture(BlobStore store) {
    this.blobStore = new FixtureBlobStore(store);
  }

  public static S3ProxyFixture start(Path root) throws Exception {
    S3ProxyFixture fixture = new S3ProxyFixture(
        new FilesystemNio2BlobStore(Files.createDirectories(root).toString()));
    fixture.startOn(0);
    return fixture;
  }

  /**
   * With S3Proxy's in-memory store instead (bodies on the heap: small objects only), which also
   * implements bucket encryption configuration (Put/GetBucketEncryption) and per-object SSE; for a
   * {@code static @RegisterExtension} field: started before the class's first test, closed after
   * its last.
   */
  public static S3ProxyFixture inMemoryForClass() {
    return new S3ProxyFixture(new TransientNio2BlobStore());
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    startOn(0);
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    close();
  }

  private void startOn(int requestedPort) throws Exception {
    S3Proxy started = S3Proxy.builder()
        .blobStore(blobStore)
        .endpoint(URI.create("http://127.0.0.1:" + requestedPort))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, IDENTITY, CREDENTIAL)
        .build();
    started.start();
    await().atMost(Duration.ofSeconds(30)).until(() -> "STARTED".equals(started.getState()));
    proxy = started;
    port = started.getPort();
  }

  /** Takes the server down; requests now fail to connect. */
  public void stop() throws Exception {
    if (proxy != null) {
      proxy.stop();
      proxy = null;
    }
  }

  /** Brings it back on the same port with the same data. */
  public void restart() throws Exception {
    if (proxy == null) {
      startOn(port);
    }
  }

  @Override
  public void close() throws Exception {
    stop();
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** A fresh bucket, so tests never see each other's objects. */
  public String createBucket() {
    String bucket = "bucket-" + BUCKETS.incrementAndGet();
    try (S3Client client = client()) {
      client.createBucket(b -> b.bucket(bucket));
    }
    return bucket;
  }

  /** A plain client for looking at the bucket behind the store's back. */
  public S3Client client() {
    return S3Client.builder()
        .endpointOverride(endpoint())
        .forcePathStyle(true)
        .region(Region.of(REGION))
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(IDENTITY, CREDENTIAL)))
        .build();
  }

  public TurboCacheConfig.S3 config(String bucket, String prefix) {
    return config(bucket, prefix, ByteSize.parse("16Mi"), ByteSize.parse("5Mi"));
  }

  public TurboCacheConfig.S3 config(
      String bucket, String prefix, ByteSize multipartThreshold, ByteSize partSize) {
    return new TurboCacheConfig.S3(bucket, REGION, prefix, endpoint().toString(), true, IDENTITY,
        CREDENTIAL, ByteSize.parse("5Ti"), multipartThreshold, partSize, Duration.ofSeconds(20),
        "when-supported", null, null);
  }

  /**
   * Answers 403 AccessDenied instead of 404 for missing keys, as S3 does for a principal without
   * s3:ListBucket.
   */
  public void denyMissingKeys(boolean deny) {
    blobStore.denyMissing = deny;
  }

  /**
   * What the fixture adds to S3Proxy's filesystem store.
   *
   * <p>Atomic reads: S3 hands out one version's body and metadata together, but S3Proxy's
   * filesystem store reads the metadata (extended attributes) and opens the body by path in
   * separate steps, so a replacement renamed in between pairs one version's metadata with
   * another's bytes (its source says so). Writers and readers of one key therefore take that
   * key's lock; a reader holds it only until the body file is open.
   *
   * <p>Denial of missing keys, on demand (see {@link #denyMissingKeys}).
   */
  private static final class FixtureBlobStore extends ForwardingBlobStore {
    private final ReentrantLock[] locks = new ReentrantLock[64];
    volatile boolean denyMissing;

    FixtureBlobStore(BlobStore delegate) {
      super(delegate);
      for (int i = 0; i < locks.length; i++) {
        locks[i] = new ReentrantLock();
      }
    }

    private ReentrantLock lock(String bucket, String key) {
      return locks[Math.floorMod((bucket + "/" + key).hashCode(), locks.length)];
    }

    @Override
    public ResponseInputStream<GetObjectResponse> getBlob(GetObjectRequest request) {
      ReentrantLock lock = lock(request.bucket(), request.key());
      lock.lock();
      try {
        return found(super.getBlob(request));
      } catch (NoSuchKeyException e) {
        throw denyMissing ? denied() : e;
      } finally {
        lock.unlock();
      }
    }

    @Override
    public HeadObjectResponse blobMetadata(HeadObjectRequest request) {
      ReentrantLock lock = lock(request.bucket(), request.key());
      lock.lock();
      try {
        return found(super.blobMetadata(request));
      } catch (NoSuchKeyException e) {
        throw denyMissing ? denied() : e;
      } finally {
        lock.unlock();
      }
    }

    private <T> T found(T result) {
      if (result == null && denyMissing) {
        throw denied();
      }
      return result;
    }

    private static S3ProxyException denied() {
      return new S3ProxyException(S3ErrorCode.ACCESS_DENIED);
    }

    @Override
    public PutObjectResponse putBlob(PutObjectRequest request, java.io.InputStream payload) {
      ReentrantLock lock = lock(request.bucket(), request.key());
      lock.lock();
      try {
        return super.putBlob(request, payload);
      } finally {
        lock.unlock();
      }
    }

    @Override
    public CompleteMultipartUploadResponse completeMultipartUpload(
        MultipartUpload upload, CompleteMultipartUploadRequest request) {
      ReentrantLock lock = lock(upload.containerName(), upload.blobName());
      lock.lock();
      try {
        return super.completeMultipartUpload(upload, request);
      } finally {
        lock.unlock();
      }
    }

    @Override
    public DeleteObjectResponse removeBlob(DeleteObjectRequest request) {
      ReentrantLock lock = lock(request.bucket(), request.key());
      lock.lock();
      try {
        return super.removeBlob(request);
      } finally {
        lock.unlock();
      }
    }
  }
}
