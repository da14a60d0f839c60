package dev.turbocache.server.storage.s3;

import dev.turbocache.server.artifact.ArtifactKey;
import dev.turbocache.server.artifact.ArtifactMetadata;
import dev.turbocache.server.artifact.Team;
import dev.turbocache.server.config.ConfigException;
import dev.turbocache.server.config.TurboCacheConfig;
import dev.turbocache.server.storage.Artifact;
import dev.turbocache.server.storage.ArtifactBody;
import dev.turbocache.server.storage.IncompleteBodyException;
import dev.turbocache.server.storage.SizeLimitedStore;
import dev.turbocache.server.storage.StoreStats;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * The durable tier: one object per artifact at {@code <prefix><team>/<hash>} in an S3 bucket (AWS
 * or any S3-compatible store: MinIO, R2, Ceph, S3Proxy), metadata as the object's user metadata.
 *
 * <p>Atomicity comes from S3: a PutObject or a completed multipart upload replaces the object
 * whole, and a reader gets one version's body and metadata together. Bodies below the multipart
 * threshold go up in one PutObject; larger ones in parts read one at a time, so heap use is at
 * most one part buffer (and none for bodies already in a file or on the heap) whatever the
 * artifact size. A multipart upload that fails, for any reason including interruption, is
 * aborted, so no partial object ever becomes visible; a bucket lifecycle rule for incomplete
 * uploads (the operator sets one) reclaims the parts if even the abort fails.
 *
 * <p>A 403 on a read is not a miss: see {@link S3AccessDeniedException}.
 */
public final class S3Store extends SizeLimitedStore {
  private static final Logger LOG = LoggerFactory.getLogger(S3Store.class);

  static final String CONTENT_TYPE = "application/octet-stream";
  /** S3's smallest part (except the last one). */
  static final long MIN_PART_SIZE = 5L << 20;
  static final int MAX_PARTS = 10_000;
  /** S3's largest single PutObject. */
  static final long MAX_SINGLE_PUT = 5L << 30;
  /** S3's largest object. */
  static final long MAX_OBJECT = 5L << 40;
  /** S3's limit of keys per DeleteObjects request. */
  static final int DELETE_BATCH = 1000;
  /** Access-denied errors repeat on every lookup; the log says it this often at most. */
  static final long DENIED_LOG_PERIOD_NANOS = TimeUnit.MINUTES.toNanos(5);

  private final S3Client s3;
  private final S3Client emptyBodies;
  private final String bucket;
  private final String prefix;
  private final long multipartThreshold;
  private final long partSize;
  private final S3Encryption encryption;
  /** Name a checksum algorithm on multipart uploads (off with {@code checksums: when-required}). */
  private final boolean partChecksums;
  private final AtomicLong nextDeniedLog = new AtomicLong(System.nanoTime());

  public S3Store(TurboCacheConfig.S3 config) {
    this(config, S3Clients.whenRequired(config));
  }

  /**
   * With {@code checksums: when-required}, empty bodies go through a second client without
   * aws-chunked encoding: Ceph RGW 16 refuses a zero-length chunked upload (400
   * XAmzContentSHA256Mismatch) but takes it with its payload hash up front, which an empty body
   * can always give.
   */
  private S3Store(TurboCacheConfig.S3 config, boolean whenRequired) {
    this(S3Clients.create(config), whenRequired ? S3Clients.create(config, false) : null, config);
    LOG.info("s3 tier: bucket {} prefix '{}' at {}, {} credentials", bucket, prefix,
        S3Clients.isBlank(config.endpoint()) ? "AWS " + config.region() : config.endpoint(),
        S3Clients.usesStaticCredentials(config) ? "static" : "default chain");
  }

  /** With a client built elsewhere (tests); the store closes it. */
  S3Store(S3Client client, TurboCacheConfig.S3 config) {
    this(client, null, config);
  }

  /** @param emptyBodies the client for empty uploads; null: {@code client} */
  private S3Store(S3Client client, S3Client emptyBodies, TurboCacheConfig.S3 config) {
    super(Math.min(config.maxArtifactSize().bytes(), MAX_OBJECT));
    if (S3Clients.isBlank(config.bucket())) {
      closeAll(client, emptyBodies);
      throw new ConfigException("storage.s3.bucket must be set when storage.tiers includes s3");
    }
    long part = config.partSize().bytes();
    if (part < MIN_PART_SIZE || part > Integer.MAX_VALUE - 16) {
      closeAll(client, emptyBodies);
      throw new ConfigException("storage.s3.partSize must be between 5Mi and 2Gi (S3 refuses"
          + " parts below 5Mi; a part is buffered on the heap), not " + part + " bytes");
    }
    S3Encryption sse;
    boolean whenRequired;
    try {
      sse = S3Encryption.of(config);
      whenRequired = S3Clients.whenRequired(config);
    } catch (ConfigException e) {
      closeAll(client, emptyBodies);
      throw e;
    }
    this.emptyBodies = emptyBodies == null ? client : emptyBodies;
    this.encryption = sse;
    this.partChecksums = !whenRequired;
    this.s3 = client;
    this.bucket = config.bucket().trim();
    this.prefix = normalizePrefix(config.prefix());
    this.multipartThreshold = Math.min(config.multipartThreshold().bytes(), MAX_SINGLE_PUT);
    this.partSize = part;
  }

  /**
   * No leading slash, and a trailing one when not empty: with {@code team} as the next path
   * segment, prefix {@code a} must not see the objects of prefix {@code ab}.
   */
  static String normalizePrefix(String prefix) {
    String p = prefix == null ? "" : prefix.trim();
    while (p.startsWith("/")) {
      p = p.substring(1);
    }
    return p.isEmpty() || p.endsWith("/") ? p : p + "/";
  }

  @Override
  public String name() {
    return "s3";
  }

  @Override
  public boolean admits(long size) {
    return size <= maxArtifactSize();
  }

  String objectKey(ArtifactKey key) {
    return prefix + key.toName('/');
  }

  /** The artifact an object key names, or null for anything else under the prefix. */
  ArtifactKey artifactKey(String objectKey) {
    if (!objectKey.startsWith(prefix)) {
      return null;
    }
    return ArtifactKey.parse(objectKey.substring(prefix.length()), '/');
  }

  // ---- reads ----

  @Override
  public Optional<Artifact> get(ArtifactKey key) throws IOException {
    String objectKey = objectKey(key);
    Optional<ResponseInputStream<GetObjectResponse>> found =
        readCall("read", objectKey, () -> s3.getObject(b -> b.bucket(bucket).key(objectKey)));
    if (found.isEmpty()) {
      return Optional.empty();
    }
    ResponseInputStream<GetObjectResponse> in = found.get();
    try {
      GetObjectResponse response = in.response();
      long length = response.contentLength();
      ArtifactMetadata metadata = S3Metadata.decode(length, response.metadata());
      return Optional.of(new Artifact(metadata,
          new ArtifactBody.Streamed(new S3Streams.Download(in, length), length)));
    } catch (RuntimeException e) {
      in.abort();
      throw new IOException("s3 tier: unreadable response for " + objectKey, e);
    }
  }

  @Override
  public Optional<ArtifactMetadata> head(ArtifactKey key) throws IOException {
    String objectKey = objectKey(key);
    return headObject(objectKey)
        .map(r -> S3Metadata.decode(r.contentLength(), r.metadata()));
  }

  private Optional<HeadObjectResponse> headObject(String objectKey) throws IOException {
    return readCall("read metadata of", objectKey,
        () -> s3.headObject(b -> b.bucket(bucket).key(objectKey)));
  }

  // ---- writes ----

  @Override
  protected void store(ArtifactKey key, ArtifactMetadata metadata, ArtifactBody body)
      throws IOException {
    long size = body.size();
    String objectKey = objectKey(key);
    Map<String, String> userMetadata = S3Metadata.encode(metadata);
    if (size == 0 || size < multipartThreshold) {
      putObject(objectKey, userMetadata, body);
    } else {
      putMultipart(objectKey, userMetadata, body);
    }
  }

  private void putObject(String objectKey, Map<String, String> userMetadata, ArtifactBody body)
      throws IOException {
    long size = body.size();
    ContentStreamProvider content;
    S3Streams.OneShotUpload oneShot = null;
    switch (body) {
      case ArtifactBody.Bytes bytes ->
          content = ContentStreamProvider.fromByteArrayUnsafe(bytes.toArray());
      case ArtifactBody.FileRegion region -> content = regionPart(region, 0, size);
      case ArtifactBody.Streamed streamed -> {
        oneShot = new S3Streams.OneShotUpload(streamed.openStream(), size);
        content = oneShot;
      }
    }
    RequestBody requestBody = RequestBody.fromContentProvider(content, size, CONTENT_TYPE);
    try {
      S3Client client = size == 0 ? emptyBodies : s3;
      call("write", objectKey, () -> client.putObject(b -> encryption.apply(b.bucket(bucket).key(objectKey)
          .contentType(CONTENT_TYPE).contentLength(size).metadata(userMetadata)), requestBody));
    } catch (IOException | S3Streams.NotResendable e) {
      throw uploadFailure(objectKey, oneShot, e);
    }
  }

  /**
   * A client that went away mid-upload is reported as that, not as an S3 failure; a one-shot body
   * that the SDK wanted to send again (a retry) fails the upload.
   */
  private IOException uploadFailure(
      String objectKey, S3Streams.OneShotUpload oneShot, Exception e) {
    IOException body = oneShot == null ? null : oneShot.bodyFailure();
    if (body != null) {
      body.addSuppressed(e);
      return body;
    }
    return e instanceof IOException io
        ? io
        : new IOException("s3 tier: write " + bucket + "/" + objectKey
            + " failed and a streamed body cannot be sent again", e);
  }

  private void putMultipart(String objectKey, Map<String, String> userMetadata, ArtifactBody body)
      throws IOException {
    long size = body.size();
    // Parts grow beyond partSize only where partSize would need more than S3's 10 000 parts.
    long part = Math.max(partSize, Math.ceilDiv(size, MAX_PARTS));
    // Metadata goes on the upload itself: it is what the completed object carries. The checksum
    // algorithm is named up front and every part's checksum handed back on completion: S3 then
    // checks each part and the whole, and nothing is left to SDK or server defaults. Stores that
    // need checksums: when-required get none (a named algorithm would send the trailer they reject).
    ChecksumAlgorithm algorithm = partChecksums ? ChecksumAlgorithm.CRC32 : null;
    String uploadId = call("start multipart upload of", objectKey,
        () -> s3.createMultipartUpload(b -> encryption.apply(b.bucket(bucket).key(objectKey)
            .contentType(CONTENT_TYPE).metadata(userMetadata)
            .checksumAlgorithm(algorithm)))).uploadId();
    boolean completed = false;
    try {
      PartSource source = partSource(body, part);
      List<CompletedPart> parts = new ArrayList<>();
      int number = 1;
      for (long offset = 0; offset < size; offset += part, number++) {
        long length = Math.min(part, size - offset);
        RequestBody partBody = RequestBody.fromContentProvider(
            source.part(offset, (int) length), length, CONTENT_TYPE);
        int partNumber = number;
        UploadPartResponse uploaded = call("upload part " + partNumber + " of", objectKey,
            () -> s3.uploadPart(b -> b.bucket(bucket).key(objectKey).uploadId(uploadId)
                .partNumber(partNumber).contentLength(length)
                .checksumAlgorithm(algorithm), partBody));
        parts.add(CompletedPart.builder().partNumber(partNumber).eTag(uploaded.eTag())
            .checksumCRC32(uploaded.checksumCRC32()).build());
      }
      source.finish();
      call("complete multipart upload of", objectKey,
          () -> s3.completeMultipartUpload(b -> b.bucket(bucket).key(objectKey)
              .uploadId(uploadId).multipartUpload(m -> m.parts(parts))));
      completed = true;
    } finally {
      if (!completed) {
        abort(objectKey, uploadId);
      }
    }
  }

  /**
   * Best effort, also when the upload failed because the thread was interrupted: the SDK refuses
   * to start a call on an interrupted thread, so the flag is set aside for the abort and restored.
   */
  private void abort(String objectKey, String uploadId) {
    boolean interrupted = Thread.interrupted();
    try {
      s3.abortMultipartUpload(b -> b.bucket(bucket).key(objectKey).uploadId(uploadId));
    } catch (SdkException e) {
      LOG.warn("s3 tier: could not abort multipart upload of {} ({}); the bucket's lifecycle rule"
          + " for incomplete multipart uploads reclaims its parts", objectKey, e.toString());
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** One part of the body at a time. */
  private interface PartSource {
    ContentStreamProvider part(long offset, int length) throws IOException;

    /** After the last part: checks that the body ended there. */
    default void finish() throws IOException {}
  }

  /** Bytes and file bodies are read in place; only a one-shot stream needs a part buffer. */
  private static PartSource partSource(ArtifactBody body, long partSize) {
    return switch (body) {
      case ArtifactBody.Bytes bytes ->
          (offset, length) ->
              () -> new ByteArrayInputStream(bytes.data(), bytes.offset() + (int) offset, length);
      case ArtifactBody.FileRegion region -> (offset, length) -> regionPart(region, offset, length);
      case ArtifactBody.Streamed streamed ->
          new StreamedParts(streamed.openStream(), streamed.size(), partSize);
    };
  }

  /** A fresh positional stream over part of a file for every (re)try; no heap copy. */
  private static ContentStreamProvider regionPart(
      ArtifactBody.FileRegion region, long offset, long length) {
    return () -> {
      try {
        // A view with no close action: its stream never closes the shared channel.
        return new ArtifactBody.FileRegion(region.channel(), region.offset() + offset, length, null)
            .openStream();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
  }

  /** Reads a one-shot body part by part into one reused buffer, so a part can be retried. */
  private static final class StreamedParts implements PartSource {
    private final InputStream in;
    private final long size;
    private final byte[] buffer;

    StreamedParts(InputStream in, long size, long partSize) {
      this.in = in;
      this.size = size;
      this.buffer = new byte[(int) Math.min(partSize, size)];
    }

    @Override
    public ContentStreamProvider part(long offset, int length) throws IOException {
      int n = in.readNBytes(buffer, 0, length);
      if (n < length) {
        throw new IncompleteBodyException(size, offset + n);
      }
      return () -> new ByteArrayInputStream(buffer, 0, length);
    }

    @Override
    public void finish() throws IOException {
      if (in.read() != -1) {
        throw new IOException("body is longer than the declared " + size + " bytes");
      }
    }
  }

  @Override
  public boolean delete(ArtifactKey key) throws IOException {
    String objectKey = objectKey(key);
    // DeleteObject answers the same whether or not the key existed.
    if (headObject(objectKey).isEmpty()) {
      return false;
    }
    call("delete", objectKey, () -> s3.deleteObject(b -> b.bucket(bucket).key(objectKey)));
    return true;
  }

  /**
   * Deletes every artifact under the prefix, in batches of {@value #DELETE_BATCH}. Objects under
   * the prefix that are not artifacts are left alone: a shared bucket keeps what is not ours.
   */
  @Override
  public void clear() throws IOException {
    List<ObjectIdentifier> batch = new ArrayList<>(DELETE_BATCH);
    long[] deleted = {0};
    forEachListed(object -> {
      if (artifactKey(object.key()) != null) {
        batch.add(ObjectIdentifier.builder().key(object.key()).build());
        if (batch.size() == DELETE_BATCH) {
          deleted[0] += deleteBatch(batch);
        }
      }
    });
    deleted[0] += deleteBatch(batch);
    LOG.info("s3 tier: cleared {} artifacts under {}/{}", deleted[0], bucket, prefix);
  }

  private int deleteBatch(List<ObjectIdentifier> batch) throws IOException {
    if (batch.isEmpty()) {
      return 0;
    }
    List<ObjectIdentifier> keys = List.copyOf(batch);
    batch.clear();
    DeleteObjectsResponse response = call("delete a batch under", prefix,
        () -> s3.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(keys).quiet(true))));
    if (response.hasErrors() && !response.errors().isEmpty()) {
      var first = response.errors().getFirst();
      throw new IOException("s3 tier: " + response.errors().size() + " of " + keys.size()
          + " deletions failed, first " + first.key() + ": " + first.code() + " "
          + first.message());
    }
    return keys.size();
  }

  // ---- listing ----

  /**
   * Unknown: S3 cannot count objects without listing them all, which is far too slow and costly
   * for every metrics scrape. {@link #countByListing()} does it on demand.
   */
  @Override
  public StoreStats stats() {
    return StoreStats.UNKNOWN;
  }

  /** Entries and bytes under the prefix, by listing the bucket: an admin operation. */
  public StoreStats countByListing() throws IOException {
    long[] entriesAndBytes = {0, 0};
    forEachListed(object -> {
      if (artifactKey(object.key()) != null) {
        entriesAndBytes[0]++;
        entriesAndBytes[1] += object.size();
      }
    });
    return new StoreStats(entriesAndBytes[0], entriesAndBytes[1]);
  }

  /**
   * Pages through the listing; the size comes from it, the other metadata from one HeadObject per
   * artifact (an admin operation: purge, export). Artifacts deleted meanwhile are skipped.
   */
  @Override
  public void scan(ArtifactVisitor visitor) throws IOException {
    forEachListed(object -> {
      ArtifactKey key = artifactKey(object.key());
      if (key != null) {
        Optional<HeadObjectResponse> head = headObject(object.key());
        if (head.isPresent()) {
          visitor.visit(key, S3Metadata.decode(object.size(), head.get().metadata()));
        }
      }
    });
  }

  /** Receives one listed object. */
  @FunctionalInterface
  private interface ListedObjectVisitor {
    void visit(S3Object object) throws IOException;
  }

  /**
   * The team "directories" under the prefix, from a listing with a {@code /} delimiter: one entry
   * per team instead of a HeadObject per artifact as {@link #scan} needs.
   */
  @Override
  public Set<String> teams() throws IOException {
    Set<String> teams = new TreeSet<>();
    forEachPage("/", page -> {
      for (CommonPrefix common : page.commonPrefixes()) {
        String team = common.prefix().substring(prefix.length(), common.prefix().length() - 1);
        if (Team.isValid(team)) {
          teams.add(team);
        }
      }
    });
    return teams;
  }

  /** Every object under the prefix, fetched a page (up to 1000 keys) at a time. */
  private void forEachListed(ListedObjectVisitor visitor) throws IOException {
    forEachPage(null, page -> {
      for (S3Object object : page.contents()) {
        visitor.visit(object);
      }
    });
  }

  /** Receives one page of a listing. */
  @FunctionalInterface
  private interface PageVisitor {
    void visit(ListObjectsV2Response page) throws IOException;
  }

  /** Pages through the listing under the prefix, with {@code delimiter} when it is not null. */
  private void forEachPage(String delimiter, PageVisitor visitor) throws IOException {
    String token = null;
    do {
      String continuation = token;
      ListObjectsV2Response page = call("list", prefix,
          () -> s3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix).delimiter(delimiter)
              .continuationToken(continuation)));
      visitor.visit(page);
      token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
    } while (token != null);
  }

  @Override
  public void close() {
    closeAll(s3, emptyBodies);
  }

  private static void closeAll(S3Client client, S3Client other) {
    client.close();
    if (other != null && other != client) {
      other.close();
    }
  }

  // ---- error mapping ----

  /** A read: 404 is a miss; 403 is {@link S3AccessDeniedException}, never a miss. */
  private <T> Optional<T> readCall(String operation, String objectKey, Supplier<T> action)
      throws IOException {
    try {
      return Optional.of(action.get());
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw translate(operation, objectKey, e);
    } catch (SdkException e) {
      throw clientFailure(operation, objectKey, e);
    }
  }

  private <T> T call(String operation, String objectKey, Supplier<T> action) throws IOException {
    try {
      return action.get();
    } catch (S3Exception e) {
      throw translate(operation, objectKey, e);
    } catch (SdkException e) {
      throw clientFailure(operation, objectKey, e);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private IOException translate(String operation, String objectKey, S3Exception e) {
    if (e.statusCode() == 403) {
      S3AccessDeniedException denied =
          new S3AccessDeniedException(operation, bucket, objectKey, prefix, e);
      logDenied(denied);
      return denied;
    }
    String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    return new IOException("s3 tier: " + operation + " " + bucket + "/" + objectKey
        + " failed: HTTP " + e.statusCode() + (code == null ? "" : " " + code), e);
  }

  /** No answer from S3: unreachable, timed out, interrupted, or the body failed. */
  private IOException clientFailure(String operation, String objectKey, SdkException e) {
    for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
      if (c instanceof IncompleteBodyException body) {
        return body;
      }
    }
    return new IOException(
        "s3 tier: " + operation + " " + bucket + "/" + objectKey + " failed: " + e.getMessage(), e);
  }

  /** Once per period at error level: every lookup hits it, and it needs an operator. */
  private void logDenied(S3AccessDeniedException denied) {
    long now = System.nanoTime();
    long next = nextDeniedLog.get();
    if (now - next >= 0 && nextDeniedLog.compareAndSet(next, now + DENIED_LOG_PERIOD_NANOS)) {
      LOG.error("s3 tier: {}", denied.getMessage());
    }
  }
}
