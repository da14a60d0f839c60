package dev.turbocache.operator;

import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.api.v1alpha1.TurboCacheSpec;
import dev.turbocache.operator.api.v1alpha1.spec.AuthSpec;
import dev.turbocache.operator.api.v1alpha1.spec.SecretKeyRef;
import dev.turbocache.operator.model.TokensSecret;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

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

  /** One YAML document of a file under examples/. */
  public record ExampleDoc(String file, JsonNode doc) {
    public <T extends HasMetadata> T as(Class<T> type) {
      try {
        return Serialization.unmarshal(new YAMLMapper().writeValueAsString(doc), type);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Every document of every YAML file under examples/ (file name relative to examples/), in file order. */
  public static List<ExampleDoc> examples() {
    Path dir = Path.of(System.getProperty("turbocache.examples", "../examples"));
    YAMLMapper yaml = new YAMLMapper();
    List<ExampleDoc> docs = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList()) {
        try (MappingIterator<JsonNode> it = yaml.readerFor(JsonNode.class).readValues(f.toFile())) {
          while (it.hasNext()) {
            JsonNode doc = it.next();
            if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
              docs.add(new ExampleDoc(dir.relativize(f).toString(), doc));
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return docs;
  }

  /** The TurboCaches of examples/ by "file/name". */
  public static Map<String, TurboCache> exampleTurboCaches() {
    Map<String, TurboCache> out = new LinkedHashMap<>();
    for (ExampleDoc d : examples()) {
      if ("TurboCache".equals(d.doc().path("kind").asText())) {
        TurboCache cr = d.as(TurboCache.class);
        out.put(d.file() + "/" + cr.getMetadata().getName(), cr);
      }
    }
    return out;
  }
}
