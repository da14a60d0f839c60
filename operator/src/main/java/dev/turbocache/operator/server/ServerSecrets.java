package dev.turbocache.operator.server;

import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.model.ResolvedSpec;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Every Secret a TurboCache references, as observed: the tokens Secret (mounted as a file) and the
 * Secrets behind {@link SecretEnv} settings (Redis password, S3 keys). The data of the latter is
 * part of the Deployment's checksum, so changing them rolls the pods (environment variables are
 * read once, at start); the tokens are not, because the server reads its mounted file again when
 * the kubelet updates it, and a roll would empty every pod's memory and disk tiers.
 *
 * @param env one entry per {@link SecretEnv#of} setting, in its order
 */
public record ServerSecrets(TokensSecret tokens, List<EnvSecret> env) {

  /**
   * @param data the (base64) value of the key; null when unusable
   * @param problem why the value is unusable; null when usable
   */
  public record EnvSecret(SecretEnv ref, String data, SecretProblem problem) {}

  /** Pure: judges the Secrets as observed (those of other namespaces or names are ignored). */
  public static ServerSecrets observe(TurboCache cr, Collection<Secret> secrets) {
    String ns = cr.getMetadata().getNamespace();
    Map<String, Secret> byName = new LinkedHashMap<>();
    for (Secret s : secrets) {
      if (s != null && Objects.equals(ns, s.getMetadata().getNamespace())) {
        byName.put(s.getMetadata().getName(), s);
      }
    }
    ResolvedSpec spec = ResolvedSpec.of(cr);
    TokensSecret tokens = TokensSecret.observe(cr, spec.tokensSecretName() == null ? null : byName.get(spec.tokensSecretName()));
    List<EnvSecret> env = new ArrayList<>();
    for (SecretEnv ref : SecretEnv.of(spec)) {
      Secret secret = byName.get(ref.secretName());
      String value = value(secret, ref.key());
      SecretProblem problem =
          secret == null
              ? new SecretProblem(SecretProblem.Kind.NOT_FOUND,
                  "Secret '" + ref.secretName() + "' (" + ref.field() + ") not found in namespace '" + ns + "'")
              : value == null
                  ? new SecretProblem(SecretProblem.Kind.KEY_MISSING,
                      "Secret '" + ref.secretName() + "' (" + ref.field() + ") has no key '" + ref.key() + "'")
                  : null;
      env.add(new EnvSecret(ref, value, problem));
    }
    return new ServerSecrets(tokens, List.copyOf(env));
  }

  /** Names of every Secret (same namespace) the TurboCache references, tokens first. */
  public static Set<String> referencedNames(TurboCache cr) {
    ResolvedSpec spec = ResolvedSpec.of(cr);
    Set<String> names = new LinkedHashSet<>();
    if (spec.tokensSecretName() != null) {
      names.add(spec.tokensSecretName());
    }
    SecretEnv.of(spec).forEach(e -> names.add(e.secretName()));
    return names;
  }

  /**
   * Problems of the Secrets a user must provide behind environment settings (the tokens Secret
   * reports its own; one the operator generates is its own business).
   */
  public List<SecretProblem> envProblems() {
    return env.stream().filter(e -> !e.ref().generated()).map(EnvSecret::problem).filter(Objects::nonNull).distinct()
        .toList();
  }

  /** What must roll the pods when it changes: every environment secret value (null when missing). */
  public List<String> checksumInputs() {
    return env.stream().map(EnvSecret::data).toList();
  }

  /** The (base64) value of {@code key}: data first, then stringData; null when absent. */
  static String value(Secret secret, String key) {
    if (secret == null) {
      return null;
    }
    String value = secret.getData() == null ? null : secret.getData().get(key);
    if (value == null && secret.getStringData() != null) {
      value = secret.getStringData().get(key);
    }
    return value;
  }
}
