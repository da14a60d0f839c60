package dev.turbocache.operator.server;

import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.model.ResolvedSpec;
import io.fabric8.kubernetes.api.model.Secret;

/**
 * What the operator knows about the tokens Secret referenced by {@code spec.auth.tokensSecretRef}.
 *
 * @param data the (base64) value of the referenced key; null when unusable
 * @param problem why the Secret is unusable; null when usable
 */
public record TokensSecret(String name, String key, String data, SecretProblem problem) {

  public boolean usable() {
    return problem == null;
  }

  /** Pure: judges the Secret as observed (null when it does not exist). */
  public static TokensSecret observe(TurboCache cr, Secret secret) {
    ResolvedSpec s = ResolvedSpec.of(cr);
    String name = s.tokensSecretName();
    String key = s.tokensSecretKey();
    String ns = cr.getMetadata().getNamespace();
    if (name == null) {
      return new TokensSecret(null, key, null,
          new SecretProblem(SecretProblem.Kind.UNSET, "spec.auth.tokensSecretRef.name is not set"));
    }
    if (secret == null) {
      return new TokensSecret(name, key, null, new SecretProblem(SecretProblem.Kind.NOT_FOUND,
          "Secret '" + name + "' (spec.auth.tokensSecretRef) not found in namespace '" + ns + "'"));
    }
    String value = ServerSecrets.value(secret, key);
    if (value == null) {
      return new TokensSecret(name, key, null,
          new SecretProblem(SecretProblem.Kind.KEY_MISSING, "Secret '" + name + "' has no key '" + key + "'"));
    }
    return new TokensSecret(name, key, value, null);
  }
}
