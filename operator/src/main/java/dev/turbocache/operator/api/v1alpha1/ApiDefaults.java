package dev.turbocache.operator.api.v1alpha1;

/**
 * Default values of the v1alpha1 API. Used both in {@code @Default} annotations (so they appear in the
 * CRD schema) and by the operator when a field is absent (the operator never writes them into spec).
 * Annotations take strings, so every default is written once, as a string; {@code ResolvedSpec}
 * parses the numbers.
 */
public final class ApiDefaults {
  public static final String PAUSED = "false";
  public static final String REPLICAS = "2";
  public static final String WRITE_POLICY = "WriteThrough";
  public static final String MAX_ARTIFACT_SIZE = "2Gi";
  public static final String LOG_LEVEL = "info";
  /**
   * The heap is 60 % of the container's memory limit, which leaves the JVM's other memory
   * (metaspace, code, threads, direct buffers, GC structures: a few hundred MiB under load) room
   * under the limit; out of memory the pod restarts instead of limping on.
   */
  public static final String JAVA_TOOL_OPTIONS = "-XX:MaxRAMPercentage=60 -XX:+ExitOnOutOfMemoryError";
  /**
   * Memory request and limit of the cache-server container: with {@link #JAVA_TOOL_OPTIONS} a
   * 1.2 GiB heap, so the default 512 MiB memory tier ({@link #MEMORY_MAX_SIZE}) stays under half
   * of it.
   */
  public static final String SERVER_MEMORY = "2Gi";
  public static final String SERVER_CPU_REQUEST = "250m";
  public static final String MIN_REPLICAS = "2";
  public static final String TARGET_CPU = "75";
  public static final String SERVICE_TYPE = "ClusterIP";
  public static final String SERVICE_PORT = "80";
  public static final String INGRESS_PATH = "/";
  public static final String TOKENS_KEY = "tokens.yaml";
  public static final String ANONYMOUS_READ = "false";
  public static final String MEMORY_MAX_SIZE = "512Mi";
  public static final String MEMORY_MAX_ARTIFACT_SIZE = "8Mi";
  public static final String MEMORY_TTL = "1h";
  public static final String MEMORY_STORE_UPLOADS = "false";
  public static final String DISK_ENABLED = "true";
  public static final String DISK_SIZE = "20Gi";
  public static final String REDIS_MODE = "Disabled";
  public static final String PASSWORD_KEY = "password";
  public static final String REDIS_MAX_ARTIFACT_SIZE = "8Mi";
  public static final String REDIS_TTL = "24h";
  public static final String REDIS_REPLICAS = "3";
  public static final String SENTINELS = "3";
  public static final String QUORUM = "2";
  public static final String REDIS_MAX_MEMORY = "1Gi";
  public static final String SENTINEL_DOWN_AFTER = "5s";
  /** The Redis image of the operator-managed modes; not a schema default, so that upgrading the operator upgrades it. */
  public static final String REDIS_IMAGE = "docker.io/library/redis:7.2.7";
  public static final String S3_PROVISIONING = "External";
  public static final String S3_PREFIX = "turbo/";
  public static final String S3_FORCE_PATH_STYLE = "false";
  public static final String S3_ENCRYPTION = "SSE-S3";
  public static final String S3_DELETION_POLICY = "Retain";
  public static final String FALSE = "false";
  public static final String TRUE = "true";
  /** Managed buckets: lifecycle expiration of objects under the prefix, when retentionDays is absent. */
  public static final int S3_RETENTION_DAYS_INT = 30;
  public static final String SCRAPE_INTERVAL = "30s";
  public static final String HIT_RATIO_BELOW = "0.7";
  public static final String P95_LATENCY_ABOVE = "1";
  public static final String ERROR_RATIO_ABOVE = "0.05";
  public static final String SCRAPE_TIMEOUT = "10s";
  public static final String WRITE_BACK_FULL_ABOVE = "0.8";
  public static final String WRITE_BACK_AGE_ABOVE = "600";
  public static final String PDB_ENABLED = "true";

  /** Kubernetes quantity restricted to what the cache server also parses (integer + binary/decimal unit). */
  public static final String SIZE_PATTERN = "^[0-9]+(Ki|Mi|Gi|Ti|k|M|G|T)?$";
  /** Duration as the cache server parses it: integer + ms|s|m|h|d. */
  public static final String DURATION_PATTERN = "^[0-9]+(ms|s|m|h|d)$";
  /** A duration that is not zero, for the server's timeouts, which refuse zero at start-up. */
  public static final String POSITIVE_DURATION_PATTERN = "^0*[1-9][0-9]*(ms|s|m|h|d)$";
  /**
   * CEL rule for a duration in that format of at most 24 days, for the server's timeouts, which it
   * keeps as int milliseconds (at most 24.8 days). CEL's duration() knows no "d", so days are
   * compared by pattern; the digit limits keep duration() below its own overflow.
   */
  public static final String AT_MOST_24_DAYS_RULE = "self.endsWith('d') ? self.matches('^0*([0-9]|1[0-9]|2[0-4])d$') "
      + ": (self.matches('^0*([0-9]{1,10}ms|[0-9]{1,7}s|[0-9]{1,6}m|[0-9]{1,5}h)$') && duration(self) <= duration('576h'))";

  private ApiDefaults() {}
}
