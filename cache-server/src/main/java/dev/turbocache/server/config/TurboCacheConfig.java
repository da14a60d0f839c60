package dev.turbocache.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The whole server configuration, as read from YAML plus {@code TURBOCACHE_*} overrides. Defaults
 * live in {@code turbocache-defaults.yaml} (one place, also the source of the documentation check).
 */
public record TurboCacheConfig(
    Server server, Auth auth, Storage storage, Logging logging, Metrics metrics) {

  /**
   * @param host interface to bind
   * @param port TCP port
   * @param managementPort TCP port of {@code /metrics} and the probes, on {@code host} too; null
   *     means none: {@code /metrics} is then served on {@code port}, and when set it is not
   * @param dataDir where the server keeps state (disk tier, generated token); empty means the
   *     per-user data directory
   * @param maxArtifactSize largest upload accepted (413 beyond)
   * @param status what {@code GET /v8/artifacts/status} reports: enabled, disabled, over_limit, paused
   * @param publicUrl the URL clients use, printed in the startup line; empty means http://host:port
   * @param shutdownGrace how long shutdown waits for in-flight requests
   * @param ioThreads Undertow IO threads; 0 means one per core
   * @param workerThreads blocking worker threads; 0 means 8 per core
   * @param firstRequestTimeout how long a new connection may wait before it sends its first request
   * @param requestHeaderTimeout time from a request's first byte to the end of its headers
   * @param idleTimeout how long a keep-alive connection may wait for its next request
   * @param bodyReadTimeout longest pause in a request body before the connection is closed
   * @param sendTimeout longest time a response may wait for the client to read it
   * @param maxConcurrentUploads uploads being received or stored at once; more get 503
   * @param maxConcurrentUploadsPerClient the same per client address; more get 429
   */
  public record Server(
      String host,
      int port,
      Integer managementPort,
      Path dataDir,
      ByteSize maxArtifactSize,
      String status,
      String publicUrl,
      Duration shutdownGrace,
      int ioThreads,
      int workerThreads,
      Duration firstRequestTimeout,
      Duration requestHeaderTimeout,
      Duration idleTimeout,
      Duration bodyReadTimeout,
      Duration sendTimeout,
      int maxConcurrentUploads,
      int maxConcurrentUploadsPerClient) {

    /** Whether {@code /metrics} and the probes have a port of their own ({@link #managementPort}). */
    public boolean hasManagementPort() {
      return managementPort != null;
    }

    /** {@link #status} as what it is (the validator has checked the name). */
    public CacheStatus cacheStatus() {
      return CacheStatus.named(status);
    }
  }

  /**
   * @param tokensFile YAML tokens file; empty means a token generated into the data directory
   * @param anonymousRead let requests without a token read (never write)
   * @param reloadInterval how often the tokens file is checked for changes
   */
  public record Auth(Path tokensFile, boolean anonymousRead, Duration reloadInterval, Jwt jwt) {}

  /**
   * JWT bearer tokens (OIDC identity tokens of CI jobs), accepted next to the static tokens.
   *
   * @param issuers the trusted issuers; none means JWTs are not accepted
   * @param maxTokenSize longer bearer tokens are refused before they are parsed
   * @param revocationFile where revoked token ids are kept without a Redis tier; empty means
   *     {@code <dataDir>/revoked-tokens.json}
   * @param revocationRefreshInterval how often a server reads the revocations of the others
   *     from Redis
   * @param revokedIds ids refused for as long as the configuration lists them
   * @param revokedIdsFile a file of ids refused for as long as it lists them, read again when it
   *     changes; null means none
   */
  public record Jwt(
      List<JwtIssuer> issuers,
      ByteSize maxTokenSize,
      Path revocationFile,
      Duration revocationRefreshInterval,
      List<String> revokedIds,
      Path revokedIdsFile) {
    /** Longest token id ({@code jti}) that can be revoked. */
    public static final int MAX_TOKEN_ID_LENGTH = 256;

    public Jwt {
      issuers = issuers == null ? List.of() : List.copyOf(issuers);
      revokedIds = revokedIds == null ? List.of() : revokedIds.stream().filter(Objects::nonNull).toList();
    }

    public boolean enabled() {
      return !issuers.isEmpty();
    }
  }

  /**
   * The names stay as the configuration spells them; {@link #tierTypes()} and {@link
   * #writePolicyType()} are what they name.
   *
   * @param tiers the tiers in lookup order, top (fastest) first
   * @param writePolicy write-through or write-back
   */
  public record Storage(
      List<String> tiers,
      String writePolicy,
      Memory memory,
      Disk disk,
      Redis redis,
      S3 s3,
      WriteBack writeBack,
      CircuitBreaker circuitBreaker) {

    /** The tiers, top first. */
    public List<TierType> tierTypes() {
      return tiers.stream().map(TierType::named).toList();
    }

    public WritePolicy writePolicyType() {
      return WritePolicy.named(writePolicy);
    }
  }

  /**
   * @param maxSize total bytes held in memory
   * @param maxArtifactSize larger artifacts skip this tier
   * @param ttl entries expire this long after being written
   * @param storeUploads write uploads here too; off, the tier fills from reads only (see {@link
   *     dev.turbocache.server.storage.ArtifactStore#storesUploads()})
   */
  public record Memory(ByteSize maxSize, ByteSize maxArtifactSize, Duration ttl, boolean storeUploads) {}

  /**
   * @param path directory of the disk tier; empty means {@code <dataDir>/artifacts}
   * @param maxSize total bytes on disk before least-recently-used artifacts are evicted
   * @param maxArtifactSize larger artifacts skip this tier
   * @param fsync flush every file to the device before acknowledging (power-loss durability)
   */
  public record Disk(Path path, ByteSize maxSize, ByteSize maxArtifactSize, boolean fsync) {}

  /**
   * @param uri {@code redis://host:6379/0} or {@code redis-sentinel://h1:26379,h2:26379/0?sentinelMasterId=mymaster}
   * @param password overrides a password in the URI (keep it out of config files: set
   *     TURBOCACHE_STORAGE_REDIS_PASSWORD from a Secret)
   * @param sentinelPassword the sentinels' password (a Sentinel URI only); empty: the URI's userinfo,
   *     if any (keep it out of config files too: TURBOCACHE_STORAGE_REDIS_SENTINEL_PASSWORD)
   * @param keyPrefix prepended to every key, so several servers can share one Redis
   * @param ttl entries expire this long after being written
   * @param maxArtifactSize larger artifacts skip this tier
   * @param commandTimeout a slower command counts as a miss (fail fast)
   * @param connectTimeout how long connecting may take
   */
  public record Redis(
      String uri,
      String password,
      String sentinelPassword,
      String keyPrefix,
      Duration ttl,
      ByteSize maxArtifactSize,
      Duration commandTimeout,
      Duration connectTimeout) {}

  /**
   * @param bucket bucket name
   * @param region AWS region
   * @param prefix key prefix inside the bucket
   * @param endpoint S3-compatible endpoint (MinIO, R2...); empty means AWS
   * @param forcePathStyle path-style URLs, needed by most S3-compatible stores
   * @param accessKeyId static credentials; empty means the default AWS credential chain
   * @param secretAccessKey static credentials (set it from a Secret via the environment)
   * @param maxArtifactSize larger artifacts skip this tier
   * @param multipartThreshold bodies from this size up are uploaded in parts
   * @param partSize size of each multipart part
   * @param requestTimeout a single S3 call slower than this fails
   * @param checksums {@code when-supported} (the SDK's default: a checksum with every upload) or
   *     {@code when-required} (only where S3 requires one, for stores that reject the SDK's
   *     default trailing checksums, such as Ceph RGW 16)
   * @param serverSideEncryption empty (the bucket's default), {@code AES256} (SSE-S3) or {@code
   *     aws:kms} (SSE-KMS), sent with every upload
   * @param kmsKeyId the KMS key of {@code aws:kms}; empty means the account's S3 key
   */
  public record S3(
      String bucket,
      String region,
      String prefix,
      String endpoint,
      boolean forcePathStyle,
      String accessKeyId,
      String secretAccessKey,
      ByteSize maxArtifactSize,
      ByteSize multipartThreshold,
      ByteSize partSize,
      Duration requestTimeout,
      String checksums,
      String serverSideEncryption,
      String kmsKeyId) {}

  /**
   * @param queueDir where queued uploads are spooled; empty means {@code <dataDir>/writeback}
   * @param maxEntries queue length beyond which uploads fall back to write-through
   * @param maxBytes queued bytes beyond which uploads fall back to write-through
   * @param workers parallel background uploads
   * @param retryInitial first retry delay after a failed background upload
   * @param retryMax longest retry delay
   */
  public record WriteBack(
      Path queueDir,
      int maxEntries,
      ByteSize maxBytes,
      int workers,
      Duration retryInitial,
      Duration retryMax) {}

  /**
   * @param failureThreshold consecutive failures of a tier that open its breaker
   * @param openDuration how long an open breaker skips the tier before one probe is let through
   * @param maxOpenDuration the longest skip: every failed probe doubles the wait up to this
   */
  public record CircuitBreaker(int failureThreshold, Duration openDuration, Duration maxOpenDuration) {}

  /**
   * @param level root log level
   * @param format json (one JSON object per line) or text
   * @param accessLog one line per request on the {@code turbocache.access} logger
   */
  public record Logging(String level, String format, boolean accessLog) {}

  /**
   * @param maxTeams teams that get their own {@code team} label (and their own hit/miss counters
   *     in the admin stats); further teams are counted as {@code other}
   */
  public record Metrics(int maxTeams) {}
}
