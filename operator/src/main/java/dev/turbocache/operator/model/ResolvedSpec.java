package dev.turbocache.operator.model;

import dev.turbocache.operator.api.v1alpha1.ApiDefaults;
import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.api.v1alpha1.TurboCacheSpec;
import dev.turbocache.operator.api.v1alpha1.spec.AuthSpec;
import dev.turbocache.operator.api.v1alpha1.spec.AutoscalingSpec;
import dev.turbocache.operator.api.v1alpha1.spec.DiskTierSpec;
import dev.turbocache.operator.api.v1alpha1.spec.IngressSpec;
import dev.turbocache.operator.api.v1alpha1.spec.JwtIssuerSpec;
import dev.turbocache.operator.api.v1alpha1.spec.MemoryTierSpec;
import dev.turbocache.operator.api.v1alpha1.spec.MonitoringSpec;
import dev.turbocache.operator.api.v1alpha1.spec.NetworkPolicySpec;
import dev.turbocache.operator.api.v1alpha1.spec.PodDisruptionBudgetSpec;
import dev.turbocache.operator.api.v1alpha1.spec.PasswordSecretRef;
import dev.turbocache.operator.api.v1alpha1.spec.PodTemplateOverrides;
import dev.turbocache.operator.api.v1alpha1.spec.ManagedRedisSpec;
import dev.turbocache.operator.api.v1alpha1.spec.RedisExternalSpec;
import dev.turbocache.operator.api.v1alpha1.spec.RedisSentinelSpec;
import dev.turbocache.operator.api.v1alpha1.spec.RedisStandaloneSpec;
import dev.turbocache.operator.api.v1alpha1.spec.RedisTierSpec;
import dev.turbocache.operator.api.v1alpha1.spec.S3CredentialsSpec;
import dev.turbocache.operator.api.v1alpha1.spec.S3EncryptionSpec;
import dev.turbocache.operator.api.v1alpha1.spec.S3PublicAccessBlockSpec;
import dev.turbocache.operator.api.v1alpha1.spec.S3TierSpec;
import dev.turbocache.operator.api.v1alpha1.spec.ServerSpec;
import dev.turbocache.operator.api.v1alpha1.spec.ServiceSpec;
import dev.turbocache.operator.api.v1alpha1.spec.TiersSpec;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The spec with every default applied: the single place where an absent field becomes its default
 * (the API server applies the same schema defaults; the operator never writes them back into spec).
 */
public record ResolvedSpec(
    boolean paused,
    int replicas,
    Autoscaling autoscaling,
    String image,
    String imagePullPolicy,
    ResourceRequirements resources,
    ServerSpec.WritePolicy writePolicy,
    String maxArtifactSize,
    // null when unset: the server's own default applies, and nothing is rendered
    String idleTimeout,
    // null when unset, as idleTimeout
    String firstRequestTimeout,
    String logLevel,
    String javaToolOptions,
    PodTemplateOverrides podTemplate,
    String serviceType,
    int servicePort,
    Map<String, String> serviceAnnotations,
    Ingress ingress,
    String tokensSecretName,
    String tokensSecretKey,
    boolean anonymousRead,
    List<JwtIssuerSpec> jwtIssuers,
    List<String> jwtRevokedTokenIds,
    Memory memory,
    Disk disk,
    Redis redis,
    S3 s3,
    String roleArn,
    NetworkPolicy networkPolicy,
    Pdb podDisruptionBudget,
    Monitoring monitoring) {

  /**
   * Container resources when spec.server.resources is absent. The memory request equals the
   * limit: the JVM sizes its heap from the limit ({@link ApiDefaults#JAVA_TOOL_OPTIONS}) and
   * fills it under load, so a node must really have that much for the pod.
   */
  public static ResourceRequirements defaultResources() {
    return new ResourceRequirementsBuilder()
        .addToRequests("cpu", new Quantity(ApiDefaults.SERVER_CPU_REQUEST))
        .addToRequests("memory", new Quantity(ApiDefaults.SERVER_MEMORY))
        .addToLimits("memory", new Quantity(ApiDefaults.SERVER_MEMORY))
        .build();
  }

  public record Autoscaling(int minReplicas, int maxReplicas, int targetCpuPercent) {}

  public record Ingress(String className, String host, String path, String tlsSecretName, Map<String, String> annotations) {}

  public record Memory(String maxSize, String maxArtifactSize, String ttl, boolean storeUploads) {}

  /** {@code enabled=false}: memory tier only. {@code storageClassName} set: per-pod ephemeral PVC. */
  public record Disk(boolean enabled, String size, String storageClassName) {}

  /**
   * @param uri the external Redis (mode External), else null
   * @param passwordSecretName the Secret with the Redis password: the external Redis' (null when it
   *     needs none), or the one the operator generates for its own Redis
   * @param managed the Redis the operator runs (modes Sentinel and Standalone), else null
   */
  public record Redis(
      RedisTierSpec.Mode mode, String uri, String passwordSecretName, String passwordSecretKey, String maxArtifactSize,
      String ttl, ManagedRedis managed) {

    /** True when the server gets a redis tier. */
    public boolean rendered() {
      return (mode == RedisTierSpec.Mode.External && uri != null) || managed != null;
    }

    public boolean sentinel() {
      return mode == RedisTierSpec.Mode.Sentinel;
    }
  }

  /**
   * A Redis the operator runs.
   *
   * @param redisReplicas Redis pods (1 in Standalone mode)
   * @param sentinels sentinel pods (0 in Standalone mode)
   * @param maxMemoryBytes Redis maxmemory
   * @param storageSize a PVC per Redis pod of this size; null: emptyDir
   */
  public record ManagedRedis(
      String image,
      ResourceRequirements resources,
      ResourceRequirements sentinelResources,
      String storageSize,
      String storageClassName,
      long maxMemoryBytes,
      int redisReplicas,
      int sentinels,
      int quorum,
      String downAfter) {}

  /** Redis memory: maxmemory, a quarter more for fragmentation and replication buffers, 64 MiB for the process. */
  static ResourceRequirements redisResources(long maxMemoryBytes) {
    long mib = (maxMemoryBytes + maxMemoryBytes / 4) / (1024 * 1024) + 64;
    Quantity memory = new Quantity(mib + "Mi");
    return new ResourceRequirementsBuilder()
        .addToRequests("cpu", new Quantity("100m"))
        .addToRequests("memory", memory)
        .addToLimits("memory", memory)
        .build();
  }

  static ResourceRequirements sentinelResources() {
    return new ResourceRequirementsBuilder()
        .addToRequests("cpu", new Quantity("50m"))
        .addToRequests("memory", new Quantity("64Mi"))
        .addToLimits("memory", new Quantity("64Mi"))
        .build();
  }

  /**
   * The s3 tier; null when spec.tiers.s3 is absent.
   *
   * @param region null: the server's default
   * @param endpoint null: AWS
   * @param credentialsSecretName null: the default AWS chain (IRSA, Pod Identity, ...)
   * @param specRetentionDays as given in the spec, null when absent ({@link #retentionDays()} applies the default)
   * @param specEncryption as given in the spec, null when absent ({@link #encryption()} applies the default)
   * @param specDeletionPolicy as given in the spec, null when absent ({@link #deletionPolicy()} applies the default)
   * @param tags the user's bucket tags (Managed), never null
   */
  public record S3(
      S3TierSpec.Provisioning provisioning,
      String bucket,
      String region,
      String prefix,
      String endpoint,
      boolean forcePathStyle,
      String credentialsSecretName,
      String roleArn,
      boolean podIdentity,
      Integer specRetentionDays,
      Encryption specEncryption,
      S3TierSpec.DeletionPolicy specDeletionPolicy,
      PublicAccessBlock publicAccessBlock,
      Map<String, String> tags) {

    /** The region S3 calls go to: the spec's, else the server's default. */
    public static final String DEFAULT_REGION = "us-east-1";

    public boolean managed() {
      return provisioning == S3TierSpec.Provisioning.Managed;
    }

    public String effectiveRegion() {
      return region == null ? DEFAULT_REGION : region;
    }

    public int retentionDays() {
      return or(specRetentionDays, ApiDefaults.S3_RETENTION_DAYS_INT);
    }

    public S3TierSpec.DeletionPolicy deletionPolicy() {
      return or(specDeletionPolicy, S3TierSpec.DeletionPolicy.valueOf(ApiDefaults.S3_DELETION_POLICY));
    }

    /**
     * The encryption the cache servers ask for with every upload, and a Managed bucket's default
     * encryption: the spec's; SSE-S3 for a Managed bucket without one; null for an External bucket
     * without one (its own default applies).
     */
    public Encryption encryption() {
      if (specEncryption != null) {
        return specEncryption;
      }
      return managed() ? new Encryption(DEFAULT_ENCRYPTION, null) : null;
    }

    /**
     * The key prefix as the cache server uses it: no leading slash, a trailing one unless empty (so
     * prefix {@code a} never covers the objects of prefix {@code ab}).
     */
    public String keyPrefix() {
      String p = prefix == null ? "" : prefix.trim();
      while (p.startsWith("/")) {
        p = p.substring(1);
      }
      return p.isEmpty() || p.endsWith("/") ? p : p + "/";
    }

    /** Spec fields that are set but act only on a Managed bucket, as spec paths. */
    public List<String> managedOnlyFieldsSet() {
      List<String> out = new ArrayList<>();
      if (specRetentionDays != null) {
        out.add("retentionDays");
      }
      if (specDeletionPolicy != null) {
        out.add("deletionPolicy");
      }
      if (!tags.isEmpty()) {
        out.add("tags");
      }
      return out;
    }
  }

  /** spec.tiers.s3.encryption.type when absent (the schema default, as the enum constant). */
  static final S3EncryptionSpec.Type DEFAULT_ENCRYPTION = S3EncryptionSpec.Type.valueOf(ApiDefaults.S3_ENCRYPTION.replace('-', '_'));

  /** @param kmsKeyId SSE-KMS only */
  public record Encryption(S3EncryptionSpec.Type type, String kmsKeyId) {}

  /** A Managed bucket's Block Public Access settings. */
  public record PublicAccessBlock(
      boolean blockPublicAcls, boolean ignorePublicAcls, boolean blockPublicPolicy, boolean restrictPublicBuckets) {}

  public record NetworkPolicy(List<NetworkPolicyPeer> from) {}

  public record Pdb(IntOrString maxUnavailable, IntOrString minAvailable) {}

  /**
   * spec.monitoring; each part is null when it is not enabled.
   *
   * @param scraperNamespaces the namespaces the NetworkPolicy admits to the metrics port
   */
  public record Monitoring(ServiceMonitor serviceMonitor, Alerts alerts, Dashboard dashboard, LabelSelector scraperNamespaces) {
    public boolean any() {
      return serviceMonitor != null || alerts != null || dashboard != null;
    }
  }

  public record ServiceMonitor(Map<String, String> labels, String interval, String scrapeTimeout) {}

  public record Alerts(
      Map<String, String> labels,
      double hitRatioBelow,
      double p95LatencyAboveSeconds,
      double errorRatioAbove,
      double writeBackQueueFullAbove,
      double writeBackOldestAboveSeconds) {}

  /** @param folder null: the sidecar's default folder */
  public record Dashboard(Map<String, String> labels, String folder) {}

  /** The namespace kube-prometheus-stack and most monitoring setups run in; its name label is set by Kubernetes. */
  public static final String DEFAULT_SCRAPER_NAMESPACE = "monitoring";
  /** The label the Grafana chart's dashboard sidecar looks for by default. */
  public static final Map<String, String> DEFAULT_DASHBOARD_LABELS = Map.of("grafana_dashboard", "1");

  public static ResolvedSpec of(TurboCache cr) {
    TurboCacheSpec spec = or(cr.getSpec(), new TurboCacheSpec());
    ServerSpec server = or(spec.server, new ServerSpec());
    ServiceSpec service = or(server.service, new ServiceSpec());
    AuthSpec auth = or(spec.auth, new AuthSpec());
    TiersSpec tiers = or(spec.tiers, new TiersSpec());
    MemoryTierSpec memory = or(tiers.memory, new MemoryTierSpec());
    DiskTierSpec disk = or(tiers.disk, new DiskTierSpec());
    return new ResolvedSpec(
        bool(spec.paused, ApiDefaults.PAUSED),
        or(server.replicas, Integer.parseInt(ApiDefaults.REPLICAS)),
        autoscaling(server.autoscaling),
        blankOr(server.image, OperatorInfo.defaultImage()),
        server.imagePullPolicy == null ? null : server.imagePullPolicy.name(),
        or(server.resources, defaultResources()),
        or(server.writePolicy, ServerSpec.WritePolicy.valueOf(ApiDefaults.WRITE_POLICY)),
        or(server.maxArtifactSize, ApiDefaults.MAX_ARTIFACT_SIZE),
        server.idleTimeout,
        server.firstRequestTimeout,
        or(server.logLevel, ServerSpec.LogLevel.valueOf(ApiDefaults.LOG_LEVEL)).name(),
        or(server.javaToolOptions, ApiDefaults.JAVA_TOOL_OPTIONS),
        or(server.podTemplate, new PodTemplateOverrides()),
        or(service.type, ServiceSpec.Type.valueOf(ApiDefaults.SERVICE_TYPE)).name(),
        or(service.port, Integer.parseInt(ApiDefaults.SERVICE_PORT)),
        or(service.annotations, Map.of()),
        ingress(server.ingress),
        auth.tokensSecretRef == null ? null : auth.tokensSecretRef.name,
        auth.tokensSecretRef == null ? ApiDefaults.TOKENS_KEY : or(auth.tokensSecretRef.key, ApiDefaults.TOKENS_KEY),
        bool(auth.anonymousRead, ApiDefaults.ANONYMOUS_READ),
        auth.jwt == null || auth.jwt.issuers == null ? List.of() : List.copyOf(auth.jwt.issuers),
        auth.jwt == null || auth.jwt.revokedTokenIds == null ? List.of() : List.copyOf(auth.jwt.revokedTokenIds),
        new Memory(
            or(memory.maxSize, ApiDefaults.MEMORY_MAX_SIZE),
            or(memory.maxArtifactSize, ApiDefaults.MEMORY_MAX_ARTIFACT_SIZE),
            or(memory.ttl, ApiDefaults.MEMORY_TTL),
            bool(memory.storeUploads, ApiDefaults.MEMORY_STORE_UPLOADS)),
        new Disk(bool(disk.enabled, ApiDefaults.DISK_ENABLED), or(disk.size, ApiDefaults.DISK_SIZE), disk.storageClassName),
        redis(cr, tiers.redis),
        s3(tiers.s3),
        roleArn(tiers.s3),
        networkPolicy(spec.networkPolicy),
        pdb(spec.podDisruptionBudget),
        monitoring(spec.monitoring));
  }

  private static Autoscaling autoscaling(AutoscalingSpec a) {
    if (a == null) {
      return null;
    }
    int min = or(a.minReplicas, Integer.parseInt(ApiDefaults.MIN_REPLICAS));
    return new Autoscaling(min, or(a.maxReplicas, min), or(a.targetCPUUtilizationPercentage, Integer.parseInt(ApiDefaults.TARGET_CPU)));
  }

  private static Ingress ingress(IngressSpec i) {
    if (i == null || !bool(i.enabled, ApiDefaults.FALSE)) {
      return null;
    }
    return new Ingress(
        i.className,
        i.host,
        or(i.path, ApiDefaults.INGRESS_PATH),
        i.tls == null ? null : i.tls.secretName,
        or(i.annotations, Map.of()));
  }

  private static Redis redis(TurboCache cr, RedisTierSpec r) {
    RedisTierSpec redis = or(r, new RedisTierSpec());
    RedisTierSpec.Mode mode = or(redis.mode, RedisTierSpec.Mode.valueOf(ApiDefaults.REDIS_MODE));
    ManagedRedis managed = managedRedis(mode, redis);
    RedisExternalSpec external = or(redis.external, new RedisExternalSpec());
    PasswordSecretRef password = mode == RedisTierSpec.Mode.External ? external.passwordSecretRef : null;
    return new Redis(
        mode,
        mode == RedisTierSpec.Mode.External ? external.uri : null,
        managed != null ? Names.redisAuth(cr) : password == null ? null : password.name,
        managed != null || password == null ? ApiDefaults.PASSWORD_KEY : or(password.key, ApiDefaults.PASSWORD_KEY),
        or(redis.maxArtifactSize, ApiDefaults.REDIS_MAX_ARTIFACT_SIZE),
        or(redis.ttl, ApiDefaults.REDIS_TTL),
        managed);
  }

  private static ManagedRedis managedRedis(RedisTierSpec.Mode mode, RedisTierSpec redis) {
    boolean sentinel = mode == RedisTierSpec.Mode.Sentinel;
    if (!sentinel && mode != RedisTierSpec.Mode.Standalone) {
      return null;
    }
    RedisSentinelSpec sentinels = or(redis.sentinel, new RedisSentinelSpec());
    ManagedRedisSpec m = sentinel ? sentinels : or(redis.standalone, new RedisStandaloneSpec());
    long maxMemory = Quantity.getAmountInBytes(new Quantity(or(m.maxMemory, ApiDefaults.REDIS_MAX_MEMORY))).longValue();
    return new ManagedRedis(
        blankOr(m.image, ApiDefaults.REDIS_IMAGE),
        or(m.resources, redisResources(maxMemory)),
        or(sentinels.sentinelResources, sentinelResources()),
        m.storage == null ? null : m.storage.size,
        m.storage == null ? null : m.storage.storageClassName,
        maxMemory,
        sentinel ? or(sentinels.redisReplicas, Integer.parseInt(ApiDefaults.REDIS_REPLICAS)) : 1,
        sentinel ? or(sentinels.sentinels, Integer.parseInt(ApiDefaults.SENTINELS)) : 0,
        or(sentinels.quorum, Integer.parseInt(ApiDefaults.QUORUM)),
        or(sentinels.downAfter, ApiDefaults.SENTINEL_DOWN_AFTER));
  }

  private static S3 s3(S3TierSpec s3) {
    if (s3 == null) {
      return null;
    }
    S3CredentialsSpec credentials = or(s3.credentials, new S3CredentialsSpec());
    S3PublicAccessBlockSpec pab = or(s3.publicAccessBlock, new S3PublicAccessBlockSpec());
    return new S3(
        or(s3.provisioning, S3TierSpec.Provisioning.valueOf(ApiDefaults.S3_PROVISIONING)),
        s3.bucket,
        s3.region,
        or(s3.prefix, ApiDefaults.S3_PREFIX),
        s3.endpoint,
        bool(s3.forcePathStyle, ApiDefaults.S3_FORCE_PATH_STYLE),
        credentials.secretRef == null ? null : credentials.secretRef.name,
        credentials.roleArn,
        bool(credentials.podIdentity, ApiDefaults.FALSE),
        s3.retentionDays,
        s3.encryption == null ? null : new Encryption(
            or(s3.encryption.type, DEFAULT_ENCRYPTION),
            s3.encryption.kmsKeyId),
        s3.deletionPolicy,
        new PublicAccessBlock(
            bool(pab.blockPublicAcls, ApiDefaults.TRUE),
            bool(pab.ignorePublicAcls, ApiDefaults.TRUE),
            bool(pab.blockPublicPolicy, ApiDefaults.TRUE),
            bool(pab.restrictPublicBuckets, ApiDefaults.TRUE)),
        s3.tags == null ? Map.of() : Map.copyOf(s3.tags));
  }

  private static String roleArn(S3TierSpec s3) {
    return s3 == null || s3.credentials == null ? null : s3.credentials.roleArn;
  }

  private static NetworkPolicy networkPolicy(NetworkPolicySpec n) {
    if (n == null || !bool(n.enabled, ApiDefaults.FALSE)) {
      return null;
    }
    return new NetworkPolicy(or(n.from, List.of()));
  }

  private static Pdb pdb(PodDisruptionBudgetSpec p) {
    if (p != null && !bool(p.enabled, ApiDefaults.PDB_ENABLED)) {
      return null;
    }
    if (p == null || (p.maxUnavailable == null && p.minAvailable == null)) {
      return new Pdb(new IntOrString(1), null);
    }
    return new Pdb(p.maxUnavailable, p.minAvailable);
  }

  private static Monitoring monitoring(MonitoringSpec m) {
    MonitoringSpec spec = or(m, new MonitoringSpec());
    MonitoringSpec.ServiceMonitor sm = spec.serviceMonitor;
    MonitoringSpec.PrometheusRule pr = spec.prometheusRule;
    MonitoringSpec.GrafanaDashboard gd = spec.grafanaDashboard;
    return new Monitoring(
        sm == null || !bool(sm.enabled, ApiDefaults.FALSE) ? null : new ServiceMonitor(
            or(sm.labels, Map.of()), or(sm.interval, ApiDefaults.SCRAPE_INTERVAL), or(sm.scrapeTimeout, ApiDefaults.SCRAPE_TIMEOUT)),
        pr == null || !bool(pr.enabled, ApiDefaults.FALSE) ? null : new Alerts(
            or(pr.labels, Map.of()),
            number(pr.hitRatioBelow, ApiDefaults.HIT_RATIO_BELOW),
            number(pr.p95LatencyAboveSeconds, ApiDefaults.P95_LATENCY_ABOVE),
            number(pr.errorRatioAbove, ApiDefaults.ERROR_RATIO_ABOVE),
            number(pr.writeBackQueueFullAbove, ApiDefaults.WRITE_BACK_FULL_ABOVE),
            number(pr.writeBackOldestAboveSeconds, ApiDefaults.WRITE_BACK_AGE_ABOVE)),
        gd == null || !bool(gd.enabled, ApiDefaults.FALSE) ? null
            : new Dashboard(gd.labels == null || gd.labels.isEmpty() ? DEFAULT_DASHBOARD_LABELS : gd.labels, gd.folder),
        or(spec.scraperNamespaceSelector, new LabelSelectorBuilder()
            .addToMatchLabels("kubernetes.io/metadata.name", DEFAULT_SCRAPER_NAMESPACE).build()));
  }

  private static double number(Double value, String fallback) {
    return value != null ? value : Double.parseDouble(fallback);
  }

  private static <T> T or(T value, T fallback) {
    return value != null ? value : fallback;
  }

  private static String blankOr(String value, String fallback) {
    return value == null || value.isBlank() ? fallback : value;
  }

  private static boolean bool(Boolean value, String fallback) {
    return Objects.requireNonNullElse(value, Boolean.parseBoolean(fallback));
  }
}
