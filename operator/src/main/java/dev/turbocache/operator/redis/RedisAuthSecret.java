package dev.turbocache.operator.redis;

import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.dependent.TurboCacheDependent;
import dev.turbocache.operator.model.Labels;
import dev.turbocache.operator.model.Names;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/**
 * The generated password of the operator-managed Redis: used by Redis, the sentinels and the cache
 * servers, only ever through this Secret (never a ConfigMap, never a log line). Generated once and
 * kept; deleting the Secret rotates it (the operator generates a new one and restarts every pod).
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.REDIS_SELECTOR))
public class RedisAuthSecret extends TurboCacheDependent<Secret> {
  /** The dependent's name in the workflow, which is also its event source's name. */
  public static final String DEPENDENT = "redis-auth";
  public static final String PASSWORD_KEY = "password";
  private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final int LENGTH = 40;
  private static final SecureRandom RANDOM = new SecureRandom();

  public RedisAuthSecret() {
    super(Secret.class, Names::redisAuth,
        (cr, context) -> desired(cr, context.getSecondaryResource(Secret.class, DEPENDENT).orElse(null)));
  }

  /** @param existing the Secret as it is, whose password is kept; null to generate one */
  public static Secret desired(TurboCache cr, Secret existing) {
    String password = existing != null && existing.getData() != null ? existing.getData().get(PASSWORD_KEY) : null;
    if (password == null || password.isEmpty()) {
      password = Base64.getEncoder().encodeToString(generate().getBytes(StandardCharsets.US_ASCII));
    }
    return new SecretBuilder()
        .withMetadata(metadata(cr, Names.redisAuth(cr), Labels.Component.REDIS))
        .withType("Opaque")
        .withData(Map.of(PASSWORD_KEY, password))
        .build();
  }

  /** Letters and digits only: safe inside the quoted redis.conf directives and a URI. */
  static String generate() {
    StringBuilder s = new StringBuilder(LENGTH);
    for (int i = 0; i < LENGTH; i++) {
      s.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return s.toString();
  }
}
