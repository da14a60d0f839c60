package dev.turbocache.operator.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.api.v1alpha1.spec.S3EncryptionSpec;
import dev.turbocache.operator.api.v1alpha1.spec.ServerSpec;
import dev.turbocache.operator.model.RedisEndpoints;
import dev.turbocache.operator.model.ResolvedSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders the cache-server configuration file ({@code config.yaml}) for a TurboCache. Keys follow the
 * server's contract exactly (it rejects unknown keys). Storage tiers are rendered by one function per
 * tier in {@link #tierSections}. Secrets (Redis password, S3 keys) are never rendered here: they reach
 * the server as environment variables from their Secrets ({@link SecretEnv}).
 */
public final class ServerConfig {
  /** The server's port for clients (turbo, the admin API): the one the Ingress routes. */
  public static final int PORT = 8080;
  /**
   * The server's {@code server.managementPort}: {@code /metrics} (its series name teams) and the
   * probes, and nothing else; only Prometheus and the kubelet come here, never the Ingress.
   */
  public static final int MANAGEMENT_PORT = 9090;
  public static final String CONFIG_DIR = "/etc/turbocache";
  public static final String CONFIG_FILE_NAME = "config.yaml";
  public static final String CONFIG_FILE = CONFIG_DIR + "/" + CONFIG_FILE_NAME;
  public static final String TOKENS_DIR = CONFIG_DIR + "/tokens";
  public static final String TOKENS_FILE_NAME = "tokens.yaml";
  public static final String TOKENS_FILE = TOKENS_DIR + "/" + TOKENS_FILE_NAME;
  /** Its own directory, mounted without subPath, so that ConfigMap updates reach the running server. */
  public static final String REVOCATIONS_DIR = CONFIG_DIR + "/revocations";
  public static final String REVOKED_IDS_FILE_NAME = "revoked-token-ids.txt";
  public static final String REVOKED_IDS_FILE = REVOCATIONS_DIR + "/" + REVOKED_IDS_FILE_NAME;
  public static final String DATA_DIR = "/var/lib/turbocache";
  public static final String DISK_PATH = DATA_DIR + "/artifacts";
  public static final String SHUTDOWN_GRACE = "30s";
  /** Share of the disk volume the server may fill; the rest is headroom for temp files. */
  static final BigDecimal DISK_FILL_RATIO = new BigDecimal("0.9");

  private static final YAMLMapper YAML =
      new YAMLMapper(
          YAMLFactory.builder()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .build());

  private ServerConfig() {}

  /** The config.yaml text; deterministic for equal input. */
  public static String render(TurboCache cr) {
    try {
      return YAML.writeValueAsString(tree(cr, ResolvedSpec.of(cr)));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Map<String, Object> tree(TurboCache cr, ResolvedSpec s) {
    Map<String, Object> server = new LinkedHashMap<>();
    server.put("host", "0.0.0.0");
    server.put("port", PORT);
    server.put("managementPort", MANAGEMENT_PORT);
    server.put("dataDir", DATA_DIR);
    server.put("maxArtifactSize", s.maxArtifactSize());
    if (s.idleTimeout() != null) {
      server.put("idleTimeout", s.idleTimeout());
    }
    if (s.firstRequestTimeout() != null) {
      server.put("firstRequestTimeout", s.firstRequestTimeout());
    }
    server.put("status", "enabled");
    server.put("publicUrl", publicUrl(s));
    server.put("shutdownGrace", SHUTDOWN_GRACE);
    server.put("ioThreads", 0);
    server.put("workerThreads", 0);

    Map<String, Object> auth = new LinkedHashMap<>();
    auth.put("tokensFile", TOKENS_FILE);
    auth.put("anonymousRead", s.anonymousRead());
    auth.put("reloadInterval", "2s");
    Map<String, Object> jwt = JwtSection.of(s.jwtIssuers());
    if (jwt != null) {
      auth.put("jwt", jwt);
    }

    Map<String, Object> storage = new LinkedHashMap<>();
    List<TierSection> sections = tierSections(cr, s);
    storage.put("tiers", sections.stream().map(TierSection::name).toList());
    storage.put("writePolicy", s.writePolicy() == ServerSpec.WritePolicy.WriteBack ? "write-back" : "write-through");
    sections.forEach(t -> storage.put(t.name(), t.settings()));

    Map<String, Object> logging = new LinkedHashMap<>();
    logging.put("level", s.logLevel());
    logging.put("format", "json");

    Map<String, Object> root = new LinkedHashMap<>();
    root.put("server", server);
    root.put("auth", auth);
    root.put("storage", storage);
    root.put("logging", logging);
    return root;
  }

  /** One storage tier: its name in {@code storage.tiers} and its {@code storage.<name>} section. */
  record TierSection(String name, Map<String, Object> settings) {}

  /** Tiers in read order: memory, disk (unless disabled), redis (External mode only), s3 (when set). */
  static List<TierSection> tierSections(TurboCache cr, ResolvedSpec s) {
    List<TierSection> tiers = new ArrayList<>();
    tiers.add(memory(s));
    if (s.disk().enabled()) {
      tiers.add(disk(s));
    }
    if (s.redis().rendered()) {
      tiers.add(redis(cr, s.redis()));
    }
    if (s.s3() != null) {
      tiers.add(s3(s.s3()));
    }
    return tiers;
  }

  /** The password comes from {@link SecretEnv#REDIS_PASSWORD}; the key prefix keeps TurboCaches sharing a Redis apart. */
  private static TierSection redis(TurboCache cr, ResolvedSpec.Redis r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("uri", redisUri(cr, r));
    m.put("keyPrefix", redisKeyPrefix(cr));
    m.put("ttl", r.ttl());
    m.put("maxArtifactSize", r.maxArtifactSize());
    return new TierSection("redis", m);
  }

  /** The external Redis as given, or the operator's own through its Services. */
  static String redisUri(TurboCache cr, ResolvedSpec.Redis r) {
    return r.managed() == null ? r.uri() : RedisEndpoints.clientUri(cr, r.sentinel());
  }

  static String redisKeyPrefix(TurboCache cr) {
    return "turbocache:" + cr.getMetadata().getNamespace() + ":" + cr.getMetadata().getName() + ":";
  }

  /**
   * Static keys come from {@link SecretEnv}; without them the server uses the default AWS chain (IRSA,
   * Pod Identity). The encryption the spec asks for is sent with every upload, Managed or External.
   */
  private static TierSection s3(ResolvedSpec.S3 s3) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("bucket", s3.bucket());
    if (s3.region() != null) {
      m.put("region", s3.region());
    }
    m.put("prefix", s3.prefix());
    if (s3.endpoint() != null) {
      m.put("endpoint", s3.endpoint());
    }
    m.put("forcePathStyle", s3.forcePathStyle());
    if (s3.endpoint() != null) {
      // S3-compatible stores often reject the SDK's default trailing checksums (Ceph RGW 16 does)
      m.put("checksums", "when-required");
    }
    ResolvedSpec.Encryption encryption = s3.encryption();
    if (encryption != null) {
      boolean kms = encryption.type() == S3EncryptionSpec.Type.SSE_KMS;
      m.put("serverSideEncryption", kms ? "aws:kms" : "AES256");
      if (kms && encryption.kmsKeyId() != null) {
        m.put("kmsKeyId", encryption.kmsKeyId());
      }
    }
    return new TierSection("s3", m);
  }

  private static TierSection memory(ResolvedSpec s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("maxSize", s.memory().maxSize());
    m.put("maxArtifactSize", s.memory().maxArtifactSize());
    m.put("ttl", s.memory().ttl());
    m.put("storeUploads", s.memory().storeUploads());
    return new TierSection("memory", m);
  }

  private static TierSection disk(ResolvedSpec s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("path", DISK_PATH);
    m.put("maxSize", diskMaxSize(s.disk().size()));
    m.put("maxArtifactSize", s.maxArtifactSize());
    return new TierSection("disk", m);
  }

  /** 90% of the volume, in bytes (the server accepts a plain byte count). */
  static String diskMaxSize(String volumeSize) {
    BigDecimal bytes = Quantity.getAmountInBytes(new Quantity(volumeSize));
    return bytes.multiply(DISK_FILL_RATIO).toBigInteger().toString();
  }

  private static String publicUrl(ResolvedSpec s) {
    if (s.ingress() == null || s.ingress().host() == null) {
      return "";
    }
    return (s.ingress().tlsSecretName() != null ? "https://" : "http://") + s.ingress().host();
  }
}
