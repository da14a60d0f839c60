package dev.turbocache.operator.contract;

import dev.turbocache.operator.TestResources;
import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.model.Names;
import dev.turbocache.operator.model.ResolvedSpec;
import dev.turbocache.operator.server.SecretEnv;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Secrets the cache-server pods of a TurboCache read: the tokens Secret (one readwrite token of
 * {@link #TEAM}) and every Secret its tiers reference (Redis password, S3 keys) that a user creates,
 * plus, for an operator-managed Redis, its generated password Secret as the operator creates it -
 * all with recognisable values so tests can check where they end up.
 */
public final class UserSecrets {
  public static final String TEAM = "acme";
  public static final String TOKEN = "contract-readwrite-token-3b9e1f";
  public static final String TOKENS_YAML =
      "tokens:\n  - {name: ci, token: \"" + TOKEN + "\", teams: [\"" + TEAM + "\"], access: readwrite}\n";
  /** Value of each secret-backed setting, by its environment variable. */
  public static final Map<String, String> VALUES = Map.of(
      SecretEnv.REDIS_PASSWORD, "contract-redis-password-8d2a",
      SecretEnv.REDIS_SENTINEL_PASSWORD, "contract-redis-password-8d2a",
      SecretEnv.S3_ACCESS_KEY_ID, "AKIACONTRACT4F7Q2Z",
      SecretEnv.S3_SECRET_ACCESS_KEY, "contract-s3-secret-key-e5b90c");

  private UserSecrets() {}

  /** The Secrets a user creates for {@code cr}: {@link #of} without the operator's generated Redis password. */
  public static List<Secret> createdByUser(TurboCache cr) {
    return of(cr).stream().filter(s -> !s.getMetadata().getName().equals(Names.redisAuth(cr))).toList();
  }

  /** Every Secret {@code cr} references, each complete. */
  public static List<Secret> of(TurboCache cr) {
    return withTokensFile(cr, TOKENS_YAML);
  }

  /** {@link #of} with {@code tokensYaml} as the tokens Secret's key: a rotation, or a bad edit. */
  public static List<Secret> withTokensFile(TurboCache cr, String tokensYaml) {
    ResolvedSpec s = ResolvedSpec.of(cr);
    Map<String, Map<String, String>> byName = new LinkedHashMap<>();
    byName.computeIfAbsent(s.tokensSecretName(), n -> new LinkedHashMap<>()).put(s.tokensSecretKey(), tokensYaml);
    for (SecretEnv e : SecretEnv.of(s)) {
      byName.computeIfAbsent(e.secretName(), n -> new LinkedHashMap<>()).put(e.key(), VALUES.get(e.env()));
    }
    return byName.entrySet().stream()
        .map(e -> TestResources.secret(cr.getMetadata().getNamespace(), e.getKey(), e.getValue()))
        .toList();
  }
}
