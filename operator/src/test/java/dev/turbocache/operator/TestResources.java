package dev.turbocache.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.api.v1alpha1.TurboCacheSpec;
import dev.turbocache.operator.api.v1alpha1.spec.AuthSpec;
import dev.turbocache.operator.api.v1alpha1.spec.JwtAuthSpec;
import dev.turbocache.operator.api.v1alpha1.spec.JwtIssuerSpec;
import dev.turbocache.operator.api.v1alpha1.spec.JwtRuleSpec;
import dev.turbocache.operator.api.v1alpha1.spec.PasswordSecretRef;
import dev.turbocache.operator.api.v1alpha1.spec.RedisExternalSpec;
import dev.turbocache.operator.api.v1alpha1.spec.RedisTierSpec;
import dev.turbocache.operator.api.v1alpha1.spec.S3CredentialsSpec;
import dev.turbocache.operator.api.v1alpha1.spec.S3TierSpec;
import dev.turbocache.operator.api.v1alpha1.spec.SecretKeyRef;
import dev.turbocache.operator.api.v1alpha1.spec.TiersSpec;
import dev.turbocache.operator.server.ServerSecrets;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
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

  /** The GitHub Actions example of docs/operator.md: main uploads, pull requests read. */
  public static JwtAuthSpec githubActionsJwt() {
    JwtRuleSpec main = new JwtRuleSpec();
    main.match = Map.of("repository_owner", List.of("acme"), "ref", List.of("refs/heads/main"));
    main.teams = List.of("acme");
    main.access = "readwrite";
    JwtRuleSpec pullRequests = new JwtRuleSpec();
    pullRequests.match = Map.of("repository_owner", List.of("acme"), "event_name", List.of("pull_request"));
    pullRequests.teams = List.of("acme");
    pullRequests.access = "read";
    JwtIssuerSpec issuer = new JwtIssuerSpec();
    issuer.issuer = "https://token.actions.githubusercontent.com";
    issuer.audiences = List.of("https://github.com/acme");
    issuer.clockSkew = "30s";
    issuer.httpTimeout = "3s";
    issuer.rules = List.of(main, pullRequests);
    JwtAuthSpec jwt = new JwtAuthSpec();
    jwt.issuers = List.of(issuer);
    return jwt;
  }

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

  public static final String REDIS_URI = "redis://redis.build-infra.svc:6379/0";
  public static final String REDIS_SECRET = "redis-auth";
  public static final String S3_SECRET = "s3-keys";
  public static final String ROLE_ARN = "arn:aws:iam::123456789012:role/turbo-cache";

  /** spec.tiers.redis in External mode, optionally with a password Secret (key defaulted). */
  public static TurboCache withExternalRedis(TurboCache cr, boolean password) {
    withRedisMode(cr, RedisTierSpec.Mode.External);
    cr.getSpec().tiers.redis.external = new RedisExternalSpec();
    cr.getSpec().tiers.redis.external.uri = REDIS_URI;
    if (password) {
      cr.getSpec().tiers.redis.external.passwordSecretRef = new PasswordSecretRef();
      cr.getSpec().tiers.redis.external.passwordSecretRef.name = REDIS_SECRET;
    }
    return cr;
  }

  public static TurboCache withRedisMode(TurboCache cr, RedisTierSpec.Mode mode) {
    tiers(cr).redis = new RedisTierSpec();
    cr.getSpec().tiers.redis.mode = mode;
    return cr;
  }

  public enum S3Auth { SECRET, ROLE_ARN, POD_IDENTITY, DEFAULT_CHAIN }

  /** spec.tiers.s3 with a bucket, region and the given credentials; SECRET also sets a MinIO-style endpoint. */
  public static TurboCache withS3(TurboCache cr, S3Auth auth) {
    S3TierSpec s3 = new S3TierSpec();
    s3.bucket = "acme-turbo-cache";
    s3.region = "eu-west-1";
    s3.credentials = new S3CredentialsSpec();
    switch (auth) {
      case SECRET -> {
        s3.credentials.secretRef = new S3CredentialsSpec.NameRef();
        s3.credentials.secretRef.name = S3_SECRET;
        s3.endpoint = "http://minio.storage.svc:9000";
        s3.forcePathStyle = true;
        s3.prefix = "cache/";
      }
      case ROLE_ARN -> s3.credentials.roleArn = ROLE_ARN;
      case POD_IDENTITY -> s3.credentials.podIdentity = true;
      case DEFAULT_CHAIN -> s3.credentials = null;
    }
    tiers(cr).s3 = s3;
    return cr;
  }

  private static TiersSpec tiers(TurboCache cr) {
    if (cr.getSpec().tiers == null) {
      cr.getSpec().tiers = new TiersSpec();
    }
    return cr.getSpec().tiers;
  }

  /** A Secret of the test namespace with the given plain-text data (stored base64, as the API server does). */
  public static Secret secret(String name, Map<String, String> plain) {
    return secret(NAMESPACE, name, plain);
  }

  public static Secret secret(String namespace, String name, Map<String, String> plain) {
    Map<String, String> data = new LinkedHashMap<>();
    plain.forEach((k, v) -> data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    return new SecretBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata().withData(data).build();
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

  /** The observed Secrets of {@code cr} when only the tokens Secret exists. */
  public static ServerSecrets tokens(TurboCache cr, String tokensYaml) {
    return ServerSecrets.observe(cr, List.of(tokensSecret(tokensYaml)));
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
