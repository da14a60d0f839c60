package dev.turbocache.operator.crd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import dev.cel.runtime.Program;
import dev.turbocache.operator.TestResources;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Evaluates the CRD's CEL rules ({@code x-kubernetes-validations}) with the Google CEL Java library, as the
 * API server would: {@code self} is the object at the rule's location, after the schema's defaults are
 * applied; an absent optional field makes {@code has(self.x)} false. Every rule of the CRD needs at least
 * one object that passes it and one that fails it in {@link #CASES}, so a new rule without cases fails
 * {@link #everyRuleHasAPassingAndAFailingCase()}.
 *
 * <p>Not mirrored: {@code self} is declared {@code dyn} rather than typed from the schema (the API server
 * type-checks rules against the schema when the CRD is created), the Kubernetes CEL libraries (quantity,
 * url, ...) and cost limits, and transition rules ({@code oldSelf}).
 */
class CrdCelRulesTest {
  static final YAMLMapper YAML = new YAMLMapper();

  /** One x-kubernetes-validations rule: the JSON path of its object (".spec.server.autoscaling"). */
  record Rule(String path, String rule, String message, JsonNode schema) {}

  /** An object at {@code path} that must pass every rule there ({@code fails} null) or fail exactly one. */
  record Case(String path, String yaml, String fails) {}

  static Case passes(String path, String yaml) {
    return new Case(path, yaml, null);
  }

  static Case fails(String path, String yaml, String message) {
    return new Case(path, yaml, message);
  }

  static final String PDB = ".spec.podDisruptionBudget";
  static final String AUTOSCALING = ".spec.server.autoscaling";
  static final String INGRESS = ".spec.server.ingress";
  static final String IDLE_TIMEOUT = ".spec.server.idleTimeout";
  static final String FIRST_REQUEST_TIMEOUT = ".spec.server.firstRequestTimeout";
  static final String SENTINEL = ".spec.tiers.redis.sentinel";
  static final String REDIS = ".spec.tiers.redis";
  static final String S3_CREDENTIALS = ".spec.tiers.s3.credentials";
  static final String S3_ENCRYPTION = ".spec.tiers.s3.encryption";
  static final String S3_TAGS = ".spec.tiers.s3.tags";

  static final String JWT = ".spec.auth.jwt";
  static final String JWT_ISSUER = ".spec.auth.jwt.issuers[*]";
  static final String JWT_RULE = ".spec.auth.jwt.issuers[*].rules[*]";

  static final String PDB_BOTH = "podDisruptionBudget: set maxUnavailable or minAvailable, not both";
  static final String MIN_MAX =
      "server.autoscaling.minReplicas must be less than or equal to server.autoscaling.maxReplicas";
  static final String IDLE_24D = "server.idleTimeout must be at most 24d (576h): the cache server refuses longer timeouts at start-up";
  static final String FIRST_24D =
      "server.firstRequestTimeout must be at most 24d (576h): the cache server refuses longer timeouts at start-up";
  static final String HOST = "server.ingress.host is required when server.ingress.enabled is true";
  static final String QUORUM = "tiers.redis.sentinel.quorum must not exceed tiers.redis.sentinel.sentinels";
  static final String ODD = "tiers.redis.sentinel.sentinels must be odd, so that a majority of them can agree on a failover";
  static final String URI = "tiers.redis.external.uri is required when tiers.redis.mode is External";
  static final String ONE_CREDENTIAL = "tiers.s3.credentials: set only one of secretRef, roleArn or podIdentity";
  static final String KMS = "tiers.s3.encryption.kmsKeyId is required when tiers.s3.encryption.type is SSE-KMS";
  static final String KMS_ONLY = "tiers.s3.encryption.kmsKeyId applies only to type SSE-KMS";
  static final String OWN_TAGS = "tiers.s3.tags: keys starting with turbocache.dev/ are the operator's and aws: is reserved by AWS";
  static final String JWT_ONCE = "auth.jwt.issuers: each issuer may be listed once";
  static final String JWT_ALGORITHMS =
      "auth.jwt.issuers[].algorithms: only asymmetric algorithms (RS*, PS*, ES*, EdDSA); never none or HMAC";
  static final String JWT_ACCESS = "auth.jwt.issuers[].rules[].access must be read, readwrite or admin";
  static final String JWT_REVOKED_ID = "auth.jwt.revokedTokenIds: each must be a token id (jti) of 1-256 characters";
  static final String TAG_SIZE = "tiers.s3.tags: keys have at most 128 characters, values at most 256";

  static final List<Case> CASES = List.of(
      passes(PDB, "{}"),
      passes(PDB, "{maxUnavailable: 1}"),
      passes(PDB, "{minAvailable: 50%}"),
      fails(PDB, "{maxUnavailable: 1, minAvailable: 1}", PDB_BOTH),
      fails(PDB, "{maxUnavailable: 25%, minAvailable: 50%}", PDB_BOTH),

      passes(AUTOSCALING, "{maxReplicas: 5}"),
      passes(AUTOSCALING, "{minReplicas: 3, maxReplicas: 3}"),
      passes(AUTOSCALING, "{minReplicas: 1, maxReplicas: 1}"),
      fails(AUTOSCALING, "{minReplicas: 6, maxReplicas: 5}", MIN_MAX),
      // minReplicas defaults to 2, so a lone maxReplicas of 1 is rejected.
      fails(AUTOSCALING, "{maxReplicas: 1}", MIN_MAX),

      passes(IDLE_TIMEOUT, "620s"),
      passes(IDLE_TIMEOUT, "24d"),
      passes(IDLE_TIMEOUT, "024d"),
      passes(IDLE_TIMEOUT, "576h"),
      passes(IDLE_TIMEOUT, "34560m"),
      passes(IDLE_TIMEOUT, "0002073600s"),
      passes(IDLE_TIMEOUT, "2073600000ms"),
      fails(IDLE_TIMEOUT, "25d", IDLE_24D),
      fails(IDLE_TIMEOUT, "100d", IDLE_24D),
      fails(IDLE_TIMEOUT, "577h", IDLE_24D),
      fails(IDLE_TIMEOUT, "2073601s", IDLE_24D),
      fails(IDLE_TIMEOUT, "2073600001ms", IDLE_24D),
      // beyond what duration() holds (292 years): refused by the pattern before duration() is reached
      fails(IDLE_TIMEOUT, "99999999999h", IDLE_24D),
      passes(FIRST_REQUEST_TIMEOUT, "60s"),
      passes(FIRST_REQUEST_TIMEOUT, "24d"),
      fails(FIRST_REQUEST_TIMEOUT, "25d", FIRST_24D),

      passes(INGRESS, "{}"),
      passes(INGRESS, "{enabled: false}"),
      passes(INGRESS, "{enabled: true, host: turbo.example.com}"),
      fails(INGRESS, "{enabled: true}", HOST),
      fails(INGRESS, "{enabled: true, className: nginx}", HOST),

      passes(SENTINEL, "{}"),
      passes(SENTINEL, "{sentinels: 3, quorum: 2}"),
      passes(SENTINEL, "{sentinels: 3, quorum: 3}"),
      fails(SENTINEL, "{sentinels: 3, quorum: 4}", QUORUM),
      passes(SENTINEL, "{sentinels: 1, quorum: 1}"),
      passes(SENTINEL, "{sentinels: 5}"),
      fails(SENTINEL, "{sentinels: 4, quorum: 2}", ODD),
      fails(SENTINEL, "{sentinels: 2, quorum: 1}", ODD),

      passes(REDIS, "{}"),
      passes(REDIS, "{mode: Sentinel}"),
      passes(REDIS, "{mode: External, external: {uri: 'redis://redis:6379/0'}}"),
      fails(REDIS, "{mode: External}", URI),

      passes(S3_CREDENTIALS, "{}"),
      passes(S3_CREDENTIALS, "{secretRef: {name: s3-keys}}"),
      passes(S3_CREDENTIALS, "{roleArn: 'arn:aws:iam::123456789012:role/turbo-cache'}"),
      passes(S3_CREDENTIALS, "{podIdentity: true}"),
      passes(S3_CREDENTIALS, "{roleArn: 'arn:aws:iam::123456789012:role/turbo-cache', podIdentity: false}"),
      fails(S3_CREDENTIALS, "{secretRef: {name: s3-keys}, roleArn: 'arn:aws:iam::123456789012:role/x'}", ONE_CREDENTIAL),
      fails(S3_CREDENTIALS, "{secretRef: {name: s3-keys}, podIdentity: true}", ONE_CREDENTIAL),
      fails(S3_CREDENTIALS, "{roleArn: 'arn:aws:iam::123456789012:role/x', podIdentity: true}", ONE_CREDENTIAL),

      passes(S3_ENCRYPTION, "{}"),
      passes(S3_ENCRYPTION, "{type: SSE-S3}"),
      passes(S3_ENCRYPTION, "{type: SSE-KMS, kmsKeyId: alias/turbo-cache}"),
      fails(S3_ENCRYPTION, "{type: SSE-KMS}", KMS),
      // type is defaulted to SSE-S3 by the schema before the rules run
      fails(S3_ENCRYPTION, "{type: SSE-S3, kmsKeyId: alias/turbo-cache}", KMS_ONLY),

      passes(S3_TAGS, "{}"),
      passes(S3_TAGS, "{team: build, cost-center: '42'}"),
      fails(S3_TAGS, "{'turbocache.dev/owner': me}", OWN_TAGS),
      fails(S3_TAGS, "{'aws:createdBy': me}", OWN_TAGS),
      fails(S3_TAGS, "{team: '" + "x".repeat(257) + "'}", TAG_SIZE),

      passes(JWT, "{issuers: [" + jwtIssuer("https://a") + ", " + jwtIssuer("https://b") + "]}"),
      fails(JWT, "{issuers: [" + jwtIssuer("https://a") + ", " + jwtIssuer("https://a") + "]}", JWT_ONCE),
      passes(JWT_ISSUER, jwtIssuer("https://a")),
      passes(JWT_ISSUER, jwtIssuer("https://a", "algorithms: [RS256, ES384, EdDSA]")),
      fails(JWT_ISSUER, jwtIssuer("https://a", "algorithms: [RS256, HS256]"), JWT_ALGORITHMS),
      fails(JWT_ISSUER, jwtIssuer("https://a", "algorithms: [none]"), JWT_ALGORITHMS),
      passes(JWT_RULE, "{teams: [acme], access: readwrite}"),
      fails(JWT_RULE, "{teams: [acme], access: write}", JWT_ACCESS),
      passes(JWT, "{issuers: [" + jwtIssuer("https://a") + "], revokedTokenIds: [leaked-job-1, "
          + "7d1c7e9e-3f8e-4a43-9d7b-0c5d3e2f1a00, " + "x".repeat(256) + "]}"),
      fails(JWT, "{issuers: [" + jwtIssuer("https://a") + "], revokedTokenIds: [leaked-job-1, '']}", JWT_REVOKED_ID),
      fails(JWT, "{issuers: [" + jwtIssuer("https://a") + "], revokedTokenIds: [" + "x".repeat(257) + "]}",
          JWT_REVOKED_ID));

  /** An issuer with the fields the schema requires, plus {@code extra} (YAML flow fields). */
  static String jwtIssuer(String issuer, String... extra) {
    StringBuilder yaml = new StringBuilder("{issuer: '" + issuer + "', audiences: [turbo], rules: [{teams: [acme], access: read}]");
    for (String field : extra) {
      yaml.append(", ").append(field);
    }
    return yaml.append('}').toString();
  }

  static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
      .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
      .addVar("self", SimpleType.DYN)
      .setResultType(SimpleType.BOOL)
      .build();
  static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();

  static List<Rule> rules;
  static Map<Rule, Program> programs;

  @BeforeAll
  static void compileRules() throws IOException, CelValidationException, CelEvaluationException {
    rules = new ArrayList<>();
    collect(ExamplesTest.schema(), "", rules);
    programs = new LinkedHashMap<>();
    for (Rule r : rules) {
      CelAbstractSyntaxTree ast = COMPILER.compile(r.rule()).getAst();
      programs.put(r, RUNTIME.createProgram(ast));
    }
  }

  /** Every x-kubernetes-validations rule under {@code schema}, arrays and maps as "[*]". */
  static void collect(JsonNode schema, String path, List<Rule> out) {
    for (JsonNode v : schema.path("x-kubernetes-validations")) {
      out.add(new Rule(path, v.path("rule").asText(), v.path("message").asText(), schema));
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> p = it.next();
      collect(p.getValue(), path + "." + p.getKey(), out);
    }
    if (schema.path("items").isObject()) {
      collect(schema.get("items"), path + "[*]", out);
    }
    if (schema.path("additionalProperties").isObject()) {
      collect(schema.get("additionalProperties"), path + "[*]", out);
    }
  }

  /** The messages of the rules at {@code path} that {@code value} fails (an evaluation error is reported too). */
  static List<String> violations(String path, JsonNode value) {
    List<String> failed = new ArrayList<>();
    for (Rule r : rules) {
      if (!r.path().equals(path)) {
        continue;
      }
      JsonNode defaulted = withDefaults(r.schema(), value.deepCopy());
      try {
        Object result = programs.get(r).eval(Map.of("self", toCel(defaulted)));
        if (!Boolean.TRUE.equals(result)) {
          failed.add(r.message());
        }
      } catch (CelEvaluationException e) {
        failed.add(r.message() + " [evaluation error: " + e.getMessage() + "]");
      }
    }
    return failed;
  }

  /** The API server's defaulting: absent properties with a default are set, in objects that are present. */
  static JsonNode withDefaults(JsonNode schema, JsonNode value) {
    if (value instanceof ObjectNode obj) {
      for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> p = it.next();
        if (!obj.has(p.getKey()) && p.getValue().has("default")) {
          obj.set(p.getKey(), p.getValue().get("default").deepCopy());
        }
        if (obj.has(p.getKey())) {
          obj.set(p.getKey(), withDefaults(p.getValue(), obj.get(p.getKey())));
        }
      }
      if (schema.path("additionalProperties").isObject()) {
        obj.fields().forEachRemaining(f -> {
          if (!schema.path("properties").has(f.getKey())) {
            f.setValue(withDefaults(schema.get("additionalProperties"), f.getValue()));
          }
        });
      }
    } else if (value.isArray() && schema.path("items").isObject()) {
      for (int i = 0; i < value.size(); i++) {
        ((com.fasterxml.jackson.databind.node.ArrayNode) value).set(i, withDefaults(schema.get("items"), value.get(i)));
      }
    }
    return value;
  }

  /** JSON to CEL values: objects as maps (null fields dropped), integers as int (long), numbers as double. */
  static Object toCel(JsonNode n) {
    if (n.isObject()) {
      Map<String, Object> m = new LinkedHashMap<>();
      n.fields().forEachRemaining(f -> {
        if (!f.getValue().isNull()) {
          m.put(f.getKey(), toCel(f.getValue()));
        }
      });
      return m;
    }
    if (n.isArray()) {
      List<Object> l = new ArrayList<>();
      n.forEach(e -> l.add(toCel(e)));
      return l;
    }
    if (n.isIntegralNumber()) {
      return n.longValue();
    }
    if (n.isNumber()) {
      return n.doubleValue();
    }
    if (n.isBoolean()) {
      return n.booleanValue();
    }
    return n.asText();
  }

  /** The values at {@code path} in {@code root} ("[*]" expands arrays and maps). */
  static List<JsonNode> at(JsonNode root, String path) {
    List<JsonNode> current = List.of(root);
    for (String step : path.replace("[*]", ".[*]").substring(1).split("\\.")) {
      List<JsonNode> next = new ArrayList<>();
      for (JsonNode n : current) {
        if (step.equals("[*]")) {
          n.forEach(next::add);
        } else if (n.has(step) && !n.get(step).isNull()) {
          next.add(n.get(step));
        }
      }
      current = next;
    }
    return current;
  }

  @Test
  void theCrdHasTheExpectedRules() {
    assertThat(rules).extracting(Rule::path)
        .containsExactlyInAnyOrder(PDB, AUTOSCALING, IDLE_TIMEOUT, FIRST_REQUEST_TIMEOUT, INGRESS, SENTINEL, SENTINEL, REDIS, S3_CREDENTIALS, S3_ENCRYPTION,
            S3_ENCRYPTION, S3_TAGS, S3_TAGS, JWT, JWT, JWT_ISSUER, JWT_RULE);
  }

  @Test
  void everyRuleHasAPassingAndAFailingCase() {
    Set<String> known = new LinkedHashSet<>();
    for (Rule r : rules) {
      known.add(r.path());
      assertThat(CASES).as("a case that passes %s at %s", r.rule(), r.path())
          .anyMatch(c -> c.path().equals(r.path()) && c.fails() == null);
      assertThat(CASES).as("a case that fails %s at %s (message: %s)", r.rule(), r.path(), r.message())
          .anyMatch(c -> c.path().equals(r.path()) && r.message().equals(c.fails()));
    }
    assertThat(CASES).extracting(Case::path).as("cases for rules the CRD no longer has").allMatch(known::contains);
  }

  @Test
  void everyCaseHasTheExpectedOutcome() throws IOException {
    for (Case c : CASES) {
      List<String> violations = violations(c.path(), YAML.readTree(c.yaml()));
      if (c.fails() == null) {
        assertThat(violations).as("%s %s", c.path(), c.yaml()).isEmpty();
      } else {
        assertThat(violations).as("%s %s", c.path(), c.yaml()).containsExactly(c.fails());
      }
    }
  }

  @Test
  void everyExamplePassesEveryRule() throws IOException {
    JsonNode schema = ExamplesTest.schema();
    List<TestResources.ExampleDoc> docs =
        TestResources.examples().stream().filter(d -> "TurboCache".equals(d.doc().path("kind").asText())).toList();
    assertThat(docs).isNotEmpty();
    Set<String> exercised = new LinkedHashSet<>();
    for (TestResources.ExampleDoc d : docs) {
      ObjectNode body = d.doc().deepCopy();
      body.remove(List.of("apiVersion", "kind", "metadata"));
      JsonNode defaulted = withDefaults(schema, body);
      for (Rule r : rules) {
        for (JsonNode value : at(defaulted, r.path())) {
          exercised.add(r.path());
          assertThat(violations(r.path(), value)).as("%s at %s", d.file(), r.path()).isEmpty();
        }
      }
    }
    // The examples reach most rules' objects; a rule no example reaches is only checked through CASES.
    assertThat(exercised).contains(AUTOSCALING, INGRESS, REDIS, S3_CREDENTIALS, PDB);
  }

  @Test
  void absentFieldsAreNotPresentAndNullsAreDropped() throws IOException {
    assertThat(violations(INGRESS, YAML.readTree("{enabled: true, host: null}"))).containsExactly(HOST);
    assertThat(violations(REDIS, YAML.readTree("{mode: External, external: {}}"))).containsExactly(URI);
  }
}
