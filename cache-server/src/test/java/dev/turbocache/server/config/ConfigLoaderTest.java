package dev.turbocache.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  final ConfigLoader loader = new ConfigLoader();
  @TempDir Path dir;

  @Test
  void defaultsAreTheZeroConfigSetup() {
    TurboCacheConfig c = loader.defaults();
    assertThat(c.server().host()).isEqualTo("127.0.0.1");
    assertThat(c.server().port()).isEqualTo(8080);
    assertThat(c.server().dataDir()).isNull();
    assertThat(c.auth().tokensFile()).isNull();
    assertThat(c.storage().tiers()).containsExactly("memory", "disk");
    assertThat(c.storage().memory().maxSize()).isEqualTo(ByteSize.parse("512Mi"));
    assertThat(c.storage().memory().ttl()).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void fileOverridesDefaultsAndEnvOverridesFile() throws Exception {
    Path file = dir.resolve("c.yaml");
    Files.writeString(file, """
        server:
          port: 9000
          maxArtifactSize: 100Mi
        storage:
          tiers: [disk]
          memory: {ttl: 30m}
        """);
    TurboCacheConfig c = loader.load(file, Map.of(
        "TURBOCACHE_SERVER_PORT", "9100",
        "TURBOCACHE_STORAGE_TIERS", "memory, disk",
        "TURBOCACHE_STORAGE_MEMORY_MAX_ARTIFACT_SIZE", "4Mi",
        "TURBOCACHE_AUTH_ANONYMOUS_READ", "true",
        "PATH", "/usr/bin"));
    assertThat(c.server().port()).isEqualTo(9100);
    assertThat(c.server().maxArtifactSize().bytes()).isEqualTo(100L << 20);
    assertThat(c.storage().tiers()).isEqualTo(List.of("memory", "disk"));
    assertThat(c.storage().memory().ttl()).isEqualTo(Duration.ofMinutes(30));
    assertThat(c.storage().memory().maxArtifactSize().bytes()).isEqualTo(4L << 20);
    assertThat(c.auth().anonymousRead()).isTrue();
  }

  @Test
  void typosAreErrorsNamingTheSetting() throws Exception {
    Path file = dir.resolve("c.yaml");
    Files.writeString(file, "storage:\n  memry: {maxSize: 1Gi}\n");
    assertThatThrownBy(() -> loader.load(file, Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("storage.memry")
        .hasMessageContaining("; storage has tiers, writePolicy, memory, disk, redis, s3");
    assertThatThrownBy(() -> loader.load(null, Map.of("TURBOCACHE_SERVER_PROT", "1")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("TURBOCACHE_SERVER_PROT");
    assertThatThrownBy(() -> loader.load(null, Map.of("TURBOCACHE_AUTH_TOKEN_FILE", "t.yaml")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("TURBOCACHE_AUTH_TOKEN_FILE; did you mean TURBOCACHE_AUTH_TOKENS_FILE?");
    assertThatThrownBy(() -> loader.load(null, Map.of("TURBOCACHE_STORAGE_MEMORY_MAXSIZE", "1Gi")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("did you mean one of "
            + "TURBOCACHE_STORAGE_MEMORY_MAX_ARTIFACT_SIZE, TURBOCACHE_STORAGE_MEMORY_MAX_SIZE?");
    assertThatThrownBy(() -> loader.load(null, Map.of("TURBOCACHE_SREVER_PORT", "1")))
        .as("a start many names share is no suggestion")
        .isInstanceOf(ConfigException.class).hasMessage("unknown environment setting "
            + "TURBOCACHE_SREVER_PORT (settings are listed in docs/configuration.md)");
  }

  @Test
  void revokedTokenIdsAreAListOfIds() {
    Map<String, String> issuer = Map.of("TURBOCACHE_AUTH_JWT_ISSUERS",
        "[{issuer: 'https://i.example', audiences: [a], rules: [{match: {sub: x}, teams: [t], access: read}]}]");
    Map<String, String> env = new java.util.HashMap<>(issuer);
    env.put("TURBOCACHE_AUTH_JWT_REVOKED_IDS", "one,two");
    assertThat(loader.load(null, env).auth().jwt().revokedIds()).containsExactly("one", "two");
    env.put("TURBOCACHE_AUTH_JWT_REVOKED_IDS", "x".repeat(257));
    assertThatThrownBy(() -> loader.load(null, env)).isInstanceOf(ConfigException.class)
        .hasMessage("auth.jwt.revokedIds: each must be a token id (jti) of 1-256 characters");
    assertThat(loader.defaults().auth().jwt().revokedIds()).isEmpty();
  }

  @Test
  void aValueOfTheWrongKindNamesTheSettingWhatItTakesAndWhatItGot() throws Exception {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("server: {port: abc}", "server.port (TURBOCACHE_SERVER_PORT): expected a whole number, not 'abc'");
    files.put("server: {port: 1.5}", "server.port (TURBOCACHE_SERVER_PORT): expected a whole number, not '1.5'");
    files.put("auth: {anonymousRead: maybe}",
        "auth.anonymousRead (TURBOCACHE_AUTH_ANONYMOUS_READ): expected true or false, not 'maybe'");
    files.put("logging: {accessLog: [1, 2]}",
        "logging.accessLog (TURBOCACHE_LOGGING_ACCESS_LOG): expected true or false, not a list");
    files.put("storage: {tiers: memory}",
        "storage.tiers (TURBOCACHE_STORAGE_TIERS): expected a list such as [a, b], not 'memory'");
    files.put("storage: {memory: {maxSize: -5}}",
        "storage.memory.maxSize (TURBOCACHE_STORAGE_MEMORY_MAX_SIZE): size must not be negative");
    files.put("auth: {jwt: {issuers: [{issuer: 'https://i.example', audiences: a}]}}",
        "auth.jwt.issuers[0].audiences: expected a list such as [a, b], not 'a'");
    Path file = dir.resolve("kinds.yaml");
    for (Map.Entry<String, String> c : files.entrySet()) {
      Files.writeString(file, c.getKey());
      assertThatThrownBy(() -> loader.load(file, Map.of())).as(c.getKey())
          .isInstanceOf(ConfigException.class).hasMessage(c.getValue());
    }
    assertThatThrownBy(() -> loader.load(null, Map.of("TURBOCACHE_SERVER_IO_THREADS", "two")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("server.ioThreads (TURBOCACHE_SERVER_IO_THREADS): expected a whole number, not 'two'");
  }

  @Test
  void badValuesAreErrorsSayingWhatIsAllowed() {
    assertThatThrownBy(() -> loader.load(null, Map.of("TURBOCACHE_STORAGE_MEMORY_MAX_SIZE", "lots")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("lots");
    assertThatThrownBy(() -> loader.load(null, Map.of("TURBOCACHE_STORAGE_TIERS", "memory,floppy")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("floppy");
    assertThatThrownBy(() -> loader.load(null, Map.of("TURBOCACHE_SERVER_STATUS", "maybe")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("server.status");
    assertThatThrownBy(() -> loader.load(null, Map.of("TURBOCACHE_SERVER_PORT", "70000")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("server.port");
    assertThatThrownBy(() -> loader.load(null, Map.of("TURBOCACHE_AUTH_RELOAD_INTERVAL", "soon")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("soon");
  }

  @Test
  void theManagementPortIsOffByDefaultAndMustDifferFromTheClientsPort() {
    assertThat(loader.defaults().server().managementPort()).isNull();
    assertThat(loader.defaults().server().hasManagementPort()).isFalse();
    assertThat(loader.load(null, Map.of("TURBOCACHE_SERVER_MANAGEMENT_PORT", "9090")).server().managementPort())
        .isEqualTo(9090);
    assertThat(loader.load(null, Map.of("TURBOCACHE_SERVER_PORT", "0", "TURBOCACHE_SERVER_MANAGEMENT_PORT", "0"))
        .server().hasManagementPort()).as("two free ports").isTrue();
    assertThatThrownBy(() -> loader.load(null, Map.of("TURBOCACHE_SERVER_MANAGEMENT_PORT", "8080")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("server.managementPort must differ from server.port (8080)");
    assertThatThrownBy(() -> loader.load(null, Map.of("TURBOCACHE_SERVER_MANAGEMENT_PORT", "70000")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("server.managementPort must be between 0 and 65535");
    assertThatThrownBy(() -> loader.load(null, Map.of("TURBOCACHE_SERVER_MANAGEMENT_PORT", "metrics")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("metrics");
  }

  @Test
  void timeoutsAndLimitsMustBePositiveAndTheBreakerBackoffMustGrow() {
    assertThat(loader.defaults().server().bodyReadTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThatThrownBy(() -> loader.load(null, Map.of("TURBOCACHE_SERVER_BODY_READ_TIMEOUT", "0s")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("server.bodyReadTimeout");
    assertThat(loader.defaults().server().firstRequestTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(loader.defaults().server().idleTimeout()).isEqualTo(Duration.ofSeconds(620));
    assertThat(loader.load(null, Map.of("TURBOCACHE_SERVER_IDLE_TIMEOUT", "24d")).server().idleTimeout())
        .isEqualTo(Duration.ofDays(24));
    for (String tooLong : List.of("25d", "577h", "2073600001ms")) {
      assertThatThrownBy(() -> loader.load(null, Map.of("TURBOCACHE_SERVER_IDLE_TIMEOUT", tooLong)))
          .isInstanceOf(ConfigException.class).hasMessageContaining("server.idleTimeout must be positive and at most 24d");
    }
    assertThatThrownBy(() -> loader.load(null, Map.of("TURBOCACHE_SERVER_FIRST_REQUEST_TIMEOUT", "0s")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("server.firstRequestTimeout");
    assertThatThrownBy(() -> loader.load(null, Map.of("TURBOCACHE_SERVER_MAX_CONCURRENT_UPLOADS", "0")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("server.maxConcurrentUploads");
    assertThatThrownBy(() -> loader.load(null, Map.of(
        "TURBOCACHE_STORAGE_CIRCUIT_BREAKER_OPEN_DURATION", "10s",
        "TURBOCACHE_STORAGE_CIRCUIT_BREAKER_MAX_OPEN_DURATION", "5s")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("maxOpenDuration");
  }

  @Test
  void missingOrBrokenFileIsAClearError() throws Exception {
    assertThatThrownBy(() -> loader.load(dir.resolve("nope.yaml"), Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("not found");
    Path broken = dir.resolve("broken.yaml");
    Files.writeString(broken, "server: [unclosed");
    assertThatThrownBy(() -> loader.load(broken, Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("not valid YAML");
  }

  @Test
  void envNamesFollowThePath() {
    assertThat(ConfigLoader.envName("storage.memory.maxSize")).isEqualTo("TURBOCACHE_STORAGE_MEMORY_MAX_SIZE");
    assertThat(ConfigLoader.envName("server.port")).isEqualTo("TURBOCACHE_SERVER_PORT");
  }

  @Test
  void sizesAndDurationsParse() {
    assertThat(ByteSize.parse("2Gi").bytes()).isEqualTo(2L << 30);
    assertThat(ByteSize.parse("100MB").bytes()).isEqualTo(100_000_000L);
    assertThat(ByteSize.parse("8MiB").bytes()).isEqualTo(8L << 20);
    assertThat(ByteSize.parse(1024).bytes()).isEqualTo(1024);
    assertThat(ByteSize.parse("3Mi").toString()).isEqualTo("3Mi");
    assertThat(DurationParser.parse("14d")).isEqualTo(Duration.ofDays(14));
    assertThat(DurationParser.parse("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(DurationParser.format(Duration.ofMinutes(90))).isEqualTo("90m");
  }

  @Test
  void jwtIssuersComeFromTheFileOrAsAYamlListFromTheEnvironmentWithDefaults() throws Exception {
    Path file = dir.resolve("c.yaml");
    Files.writeString(file, """
        auth:
          jwt:
            issuers:
              - issuer: https://token.actions.githubusercontent.com
                audiences: [https://github.com/acme]
                jwksUri: ""
                rules:
                  - {match: {repository_owner: acme, ref: refs/heads/main}, teams: [acme], access: readwrite}
        """);
    JwtIssuer issuer = loader.load(file, Map.of()).auth().jwt().issuers().getFirst();
    assertThat(issuer.jwksUri()).as("blank is unset: discovery").isNull();
    assertThat(issuer.discoveryUri()).hasToString(
        "https://token.actions.githubusercontent.com/.well-known/openid-configuration");
    assertThat(issuer.algorithms()).containsExactly("RS256", "ES256");
    assertThat(issuer.clockSkew()).isEqualTo(Duration.ofSeconds(60));
    assertThat(issuer.rules().getFirst().match()).containsEntry("ref", "refs/heads/main");

    TurboCacheConfig fromEnv = loader.load(null, Map.of("TURBOCACHE_AUTH_JWT_ISSUERS",
        "[{issuer: 'https://gitlab.example', audiences: [cache], clockSkew: 5s,"
            + " rules: [{teams: ['{namespace_path}'], access: read}]}]"));
    assertThat(fromEnv.auth().jwt().issuers()).extracting(JwtIssuer::issuer).containsExactly("https://gitlab.example");
    assertThat(fromEnv.auth().jwt().issuers().getFirst().clockSkew()).isEqualTo(Duration.ofSeconds(5));
    assertThat(loader.defaults().auth().jwt().enabled()).isFalse();
  }

  @Test
  void jwtIssuersMustBeSafe() {
    String base = "issuer: 'https://i.example', rules: [{teams: [a], access: read}]";
    assertThatThrownBy(() -> issuers("{" + base + "}"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("audiences");
    assertThatThrownBy(() -> issuers("{" + base + ", audiences: [x], algorithms: [HS256]}"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("HS256");
    assertThatThrownBy(() -> issuers("{" + base + ", audiences: [x], algorithms: [none]}"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("none");
    assertThatThrownBy(() -> issuers("{issuer: 'https://i.example', audiences: [x]}"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("rules");
    assertThatThrownBy(() -> issuers("{issuer: 'https://i.example', audiences: [x], rules: [{teams: [a], access: write}]}"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("rules[0].access");
    assertThatThrownBy(() -> issuers("{issuer: 'not a url', audiences: [x], rules: [{teams: [a], access: read}]}"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("issuer");
    assertThatThrownBy(() -> issuers("{" + base + ", audiences: [x], jwksUri: 'https://k', jwksFile: /k.json}"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("not both");
    assertThatThrownBy(() -> issuers("{" + base + ", audiences: [x], flavour: sweet}"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("flavour");
  }

  private TurboCacheConfig issuers(String entry) {
    return loader.load(null, Map.of("TURBOCACHE_AUTH_JWT_ISSUERS", "[" + entry + "]"));
  }

  /** Every setting must be documented; this fails when someone adds one and forgets the docs. */
  @Test
  void everySettingIsDocumented() throws Exception {
    Path docs = Path.of("..", "docs", "configuration.md");
    String text = Files.readString(docs);
    for (String setting : loader.settings().keySet()) {
      assertThat(text).as("docs/configuration.md documents " + setting).contains("`" + setting + "`");
      assertThat(text).as("docs/configuration.md names the env variable of " + setting)
          .contains("`" + ConfigLoader.envName(setting) + "`");
    }
  }
}
