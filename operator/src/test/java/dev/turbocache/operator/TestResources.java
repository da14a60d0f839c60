package dev.turbocache.operator;

import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.api.v1alpha1.TurboCacheSpec;
import dev.turbocache.operator.api.v1alpha1.spec.AuthSpec;
import dev.turbocache.operator.api.v1alpha1.spec.SecretKeyRef;
import dev.turbocache.operator.model.TokensSecret;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/** Minimal TurboCache objects for tests: only the required field (the tokens Secret) is set. */
public final class TestResources {
  public static final String NAMESPACE = "build-infra";
  public static final String NAME = "monorepo";
  public static final String TOKENS = "turbo-tokens";

  private TestResources() {}

  public static TurboCache minimal() {
    TurboCache cr = new TurboCache();
    cr.setMetadata(
        new ObjectMetaBuilder()
            .withName(NAME)
            .withNamespace(NAMESPACE)
            .withGeneration(1L)
            .withLabels(Map.of("argocd.argoproj.io/instance", "my-app", "team", "build"))
            .withAnnotations(Map.of("argocd.argoproj.io/tracking-id", "my-app:turbocache.dev/TurboCache:build-infra/monorepo"))
            .build());
    TurboCacheSpec spec = new TurboCacheSpec();
    spec.auth = new AuthSpec();
    spec.auth.tokensSecretRef = new SecretKeyRef();
    spec.auth.tokensSecretRef.name = TOKENS;
    cr.setSpec(spec);
    return cr;
  }

  public static Secret tokensSecret(String tokensYaml) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(TOKENS)
        .withNamespace(NAMESPACE)
        .endMetadata()
        .withData(Map.of("tokens.yaml", Base64.getEncoder().encodeToString(tokensYaml.getBytes(StandardCharsets.UTF_8))))
        .build();
  }

  public static TokensSecret tokens(TurboCache cr, String tokensYaml) {
    return TokensSecret.observe(cr, tokensSecret(tokensYaml));
  }

  public static final String TOKENS_YAML = "tokens:\n- {name: ci, token: abc, teams: ['*'], access: readwrite}\n";
}
