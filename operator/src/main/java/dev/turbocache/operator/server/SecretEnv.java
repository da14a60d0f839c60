package dev.turbocache.operator.server;

import dev.turbocache.operator.model.ResolvedSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * A server setting that comes from a Secret key through an environment variable of the cache-server
 * container ({@code valueFrom.secretKeyRef}): secrets never go into the ConfigMap.
 *
 * @param env the server's environment override of the setting (TURBOCACHE_ + path in UPPER_SNAKE_CASE)
 * @param field the spec field naming the Secret, for status messages
 * @param generated the operator creates the Secret itself (a managed Redis' password), so its absence
 *     is a moment in the reconciliation, not a user's mistake
 */
public record SecretEnv(String env, String secretName, String key, String field, boolean generated) {
  public static final String REDIS_PASSWORD = "TURBOCACHE_STORAGE_REDIS_PASSWORD";
  public static final String REDIS_SENTINEL_PASSWORD = "TURBOCACHE_STORAGE_REDIS_SENTINEL_PASSWORD";
  public static final String S3_ACCESS_KEY_ID = "TURBOCACHE_STORAGE_S3_ACCESS_KEY_ID";
  public static final String S3_SECRET_ACCESS_KEY = "TURBOCACHE_STORAGE_S3_SECRET_ACCESS_KEY";
  /** Keys of the Secret named by spec.tiers.s3.credentials.secretRef. */
  public static final String AWS_ACCESS_KEY_ID = "AWS_ACCESS_KEY_ID";
  public static final String AWS_SECRET_ACCESS_KEY = "AWS_SECRET_ACCESS_KEY";

  /** Every secret-backed setting of the rendered tiers, in a stable order. */
  public static List<SecretEnv> of(ResolvedSpec s) {
    List<SecretEnv> out = new ArrayList<>();
    ResolvedSpec.Redis redis = s.redis();
    if (redis.managed() != null) {
      String field = "the operator-generated password of spec.tiers.redis.mode " + redis.mode();
      out.add(new SecretEnv(REDIS_PASSWORD, redis.passwordSecretName(), redis.passwordSecretKey(), field, true));
      if (redis.sentinel()) {
        // the sentinels require the same password
        out.add(new SecretEnv(REDIS_SENTINEL_PASSWORD, redis.passwordSecretName(), redis.passwordSecretKey(), field, true));
      }
    } else if (redis.rendered() && redis.passwordSecretName() != null) {
      out.add(new SecretEnv(REDIS_PASSWORD, redis.passwordSecretName(), redis.passwordSecretKey(),
          "spec.tiers.redis.external.passwordSecretRef", false));
    }
    if (s.s3() != null && s.s3().credentialsSecretName() != null) {
      String field = "spec.tiers.s3.credentials.secretRef";
      out.add(new SecretEnv(S3_ACCESS_KEY_ID, s.s3().credentialsSecretName(), AWS_ACCESS_KEY_ID, field, false));
      out.add(new SecretEnv(S3_SECRET_ACCESS_KEY, s.s3().credentialsSecretName(), AWS_SECRET_ACCESS_KEY, field, false));
    }
    return out;
  }
}
