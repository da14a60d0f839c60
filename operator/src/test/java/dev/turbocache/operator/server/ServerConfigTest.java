package dev.turbocache.operator.server;

import static dev.turbocache.operator.TestResources.minimal;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.turbocache.operator.TestResources;
import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.api.v1alpha1.spec.DiskTierSpec;
import dev.turbocache.operator.api.v1alpha1.spec.IngressSpec;
import dev.turbocache.operator.api.v1alpha1.spec.MemoryTierSpec;
import dev.turbocache.operator.api.v1alpha1.spec.RedisTierSpec;
import dev.turbocache.operator.api.v1alpha1.spec.ServerSpec;
import dev.turbocache.operator.api.v1alpha1.spec.TiersSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerConfigTest {

  @Test
  void defaultsRenderTheContractKeysExactly() {
    assertThat(ServerConfig.render(minimal()))
        .isEqualTo(
            """
            server:
              host: 0.0.0.0
              port: 8080
              managementPort: 9090
              dataDir: /var/lib/turbocache
              maxArtifactSize: 2Gi
              status: enabled
              publicUrl: ""
              shutdownGrace: 30s
              ioThreads: 0
              workerThreads: 0
            auth:
              tokensFile: /etc/turbocache/tokens/tokens.yaml
              anonymousRead: false
              reloadInterval: 2s
            storage:
              tiers:
              - memory
              - disk
              writePolicy: write-through
              memory:
                maxSize: 512Mi
                maxArtifactSize: 8Mi
                ttl: 1h
                storeUploads: false
              disk:
                path: /var/lib/turbocache/artifacts
                maxSize: 19327352832
                maxArtifactSize: 2Gi
            logging:
              level: info
              format: json
            """);
  }

  @Test
  void jwtIssuersAndRulesAreRenderedOnlyWithWhatIsSet() {
    assertThat(ServerConfig.render(minimal())).doesNotContain("jwt");
    TurboCache cr = minimal();
    cr.getSpec().auth.jwt = TestResources.githubActionsJwt();
    assertThat(ServerConfig.render(cr)).contains("""
          jwt:
            issuers:
            - issuer: https://token.actions.githubusercontent.com
              audiences:
              - https://github.com/acme
              clockSkew: 30s
              httpTimeout: 3s
              rules:
              - match:
                  ref:
                  - refs/heads/main
                  repository_owner:
                  - acme
                teams:
                - acme
                access: readwrite
              - match:
                  event_name:
                  - pull_request
                  repository_owner:
                  - acme
                teams:
                - acme
                access: read
        """);
    assertThat(ServerConfig.render(cr)).contains("""
                access: read
            revokedIdsFile: /etc/turbocache/revocations/revoked-token-ids.txt
        """);
  }

  @Test
  void revokedTokenIdsAreAFileBesideTheConfigNotInIt() {
    TurboCache cr = minimal();
    assertThat(ServerConfigMap.desired(cr).getData()).as("no JWT, no file").containsOnlyKeys("config.yaml");
    cr.getSpec().auth.jwt = TestResources.githubActionsJwt();
    assertThat(ServerConfigMap.desired(cr).getData().get("revoked-token-ids.txt")).as("none revoked yet")
        .doesNotContain("leaked").endsWith("revokedTokenIds.\n");
    String config = ServerConfig.render(cr);
    cr.getSpec().auth.jwt.revokedTokenIds = List.of("leaked-job-1", "leaked-job-2");
    var data = ServerConfigMap.desired(cr).getData();
    assertThat(data.get("revoked-token-ids.txt")).startsWith("#").endsWith("\nleaked-job-1\nleaked-job-2\n");
    assertThat(data.get("config.yaml")).as("the config stays as it was").isEqualTo(config);
  }

  @Test
  void diskMaxSizeLeavesHeadroomOnTheVolume() {
    assertThat(ServerConfig.diskMaxSize("20Gi")).isEqualTo(String.valueOf((long) (20L * (1L << 30) * 0.9)));
    assertThat(ServerConfig.diskMaxSize("10G")).isEqualTo("9000000000");
  }

  @Test
  @SuppressWarnings("unchecked")
  void specSettingsReachTheConfig() throws Exception {
    TurboCache cr = minimal();
    cr.getSpec().server = new ServerSpec();
    cr.getSpec().server.writePolicy = ServerSpec.WritePolicy.WriteBack;
    cr.getSpec().server.maxArtifactSize = "4Gi";
    cr.getSpec().server.idleTimeout = "3620s";
    cr.getSpec().server.firstRequestTimeout = "120s";
    cr.getSpec().server.logLevel = ServerSpec.LogLevel.debug;
    cr.getSpec().server.ingress = new IngressSpec();
    cr.getSpec().server.ingress.enabled = true;
    cr.getSpec().server.ingress.host = "turbo.example.com";
    cr.getSpec().server.ingress.tls = new IngressSpec.Tls();
    cr.getSpec().server.ingress.tls.secretName = "turbo-tls";
    cr.getSpec().auth.anonymousRead = true;
    cr.getSpec().tiers = new TiersSpec();
    cr.getSpec().tiers.memory = new MemoryTierSpec();
    cr.getSpec().tiers.memory.maxSize = "2Gi";
    cr.getSpec().tiers.memory.ttl = "30m";
    cr.getSpec().tiers.memory.storeUploads = true;
    cr.getSpec().tiers.disk = new DiskTierSpec();
    cr.getSpec().tiers.disk.enabled = false;

    Map<String, Object> config = new YAMLMapper().readValue(ServerConfig.render(cr), Map.class);
    Map<String, Object> server = (Map<String, Object>) config.get("server");
    Map<String, Object> storage = (Map<String, Object>) config.get("storage");
    assertThat(server).containsEntry("maxArtifactSize", "4Gi").containsEntry("idleTimeout", "3620s")
        .containsEntry("firstRequestTimeout", "120s")
        .containsEntry("publicUrl", "https://turbo.example.com");
    assertThat((Map<String, Object>) config.get("auth")).containsEntry("anonymousRead", true);
    assertThat((Map<String, Object>) config.get("logging")).containsEntry("level", "debug");
    assertThat(storage).containsEntry("writePolicy", "write-back").doesNotContainKey("disk");
    assertThat(storage.get("tiers")).asList().containsExactly("memory");
    assertThat((Map<String, Object>) storage.get("memory")).containsEntry("maxSize", "2Gi").containsEntry("ttl", "30m")
        .containsEntry("storeUploads", true);
  }

  @Test
  void externalRedisAndS3AreAppendedAsTiersWithoutAnySecret() {
    TurboCache cr = TestResources.withS3(TestResources.withExternalRedis(minimal(), true), TestResources.S3Auth.SECRET);
    String rendered = ServerConfig.render(cr);
    assertThat(rendered).contains(
        """
        storage:
          tiers:
          - memory
          - disk
          - redis
          - s3
          writePolicy: write-through
        """);
    assertThat(rendered).contains(
        """
          redis:
            uri: redis://redis.build-infra.svc:6379/0
            keyPrefix: "turbocache:build-infra:monorepo:"
            ttl: 24h
            maxArtifactSize: 8Mi
          s3:
            bucket: acme-turbo-cache
            region: eu-west-1
            prefix: cache/
            endpoint: http://minio.storage.svc:9000
            forcePathStyle: true
            checksums: when-required
        logging:
        """);
    assertThat(rendered).doesNotContain("password").doesNotContain("accessKeyId").doesNotContain("secretAccessKey");
  }

  @Test
  @SuppressWarnings("unchecked")
  void s3WithoutStaticKeysLeavesEndpointAndRegionToTheServerDefaults() throws Exception {
    TurboCache cr = TestResources.withS3(minimal(), TestResources.S3Auth.ROLE_ARN);
    cr.getSpec().tiers.s3.region = null;
    Map<String, Object> storage = (Map<String, Object>) new YAMLMapper().readValue(ServerConfig.render(cr), Map.class).get("storage");
    assertThat(storage.get("tiers")).asList().containsExactly("memory", "disk", "s3");
    assertThat((Map<String, Object>) storage.get("s3"))
        .containsOnlyKeys("bucket", "prefix", "forcePathStyle")
        .containsEntry("prefix", "turbo/")
        .containsEntry("forcePathStyle", false);
  }

  @Test
  void redisIsTheExternalOneTheOperatorsOwnOrNone() {
    TurboCache disabled = TestResources.withExternalRedis(minimal(), true);
    disabled.getSpec().tiers.redis.mode = RedisTierSpec.Mode.Disabled;
    assertThat(ServerConfig.render(disabled)).doesNotContain("redis").isEqualTo(ServerConfig.render(minimal()));

    TurboCache sentinel = TestResources.withExternalRedis(minimal(), true);
    sentinel.getSpec().tiers.redis.mode = RedisTierSpec.Mode.Sentinel;
    assertThat(ServerConfig.render(sentinel)).as("the external uri is ignored in Sentinel mode")
        .doesNotContain(TestResources.REDIS_URI)
        .contains("uri: redis-sentinel://monorepo-sentinel.build-infra.svc:26379/0?sentinelMasterId=turbocache-build-infra-monorepo");
    TurboCache standalone = TestResources.withRedisMode(minimal(), RedisTierSpec.Mode.Standalone);
    assertThat(ServerConfig.render(standalone)).contains("uri: redis://monorepo-redis.build-infra.svc:6379/0");

    TurboCache writeBack = TestResources.withExternalRedis(minimal(), false);
    writeBack.getSpec().server = new ServerSpec();
    writeBack.getSpec().server.writePolicy = ServerSpec.WritePolicy.WriteBack;
    assertThat(ServerConfig.render(writeBack)).contains("- redis\n  writePolicy: write-back\n");
  }
}
