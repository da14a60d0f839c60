package dev.turbocache.operator.server;

import static dev.turbocache.operator.TestResources.TOKENS_YAML;
import static dev.turbocache.operator.TestResources.minimal;
import static dev.turbocache.operator.TestResources.tokens;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.turbocache.operator.TestResources;
import dev.turbocache.operator.api.v1alpha1.ApiDefaults;
import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.api.v1alpha1.spec.AutoscalingSpec;
import dev.turbocache.operator.api.v1alpha1.spec.DiskTierSpec;
import dev.turbocache.operator.api.v1alpha1.spec.PodTemplateOverrides;
import dev.turbocache.operator.api.v1alpha1.spec.RedisTierSpec;
import dev.turbocache.operator.api.v1alpha1.spec.ServerSpec;
import dev.turbocache.operator.api.v1alpha1.spec.TiersSpec;
import dev.turbocache.operator.model.OperatorInfo;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ServerDeploymentTest {

  static Deployment render(TurboCache cr) {
    return ServerDeployment.desired(cr, tokens(cr, TOKENS_YAML));
  }

  static Container container(Deployment d) {
    return d.getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  static Volume volume(Deployment d, String name) {
    return d.getSpec().getTemplate().getSpec().getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst().orElseThrow();
  }

  static String checksum(Deployment d) {
    return d.getSpec().getTemplate().getMetadata().getAnnotations().get(ServerDeployment.CHECKSUM_ANNOTATION);
  }

  @Test
  void defaultsRunTheServerContract() {
    Deployment d = render(minimal());
    assertThat(d.getMetadata().getName()).isEqualTo("monorepo");
    assertThat(d.getMetadata().getNamespace()).isEqualTo("build-infra");
    assertThat(d.getSpec().getReplicas()).isEqualTo(2);
    Container c = container(d);
    assertThat(c.getImage()).isEqualTo("ghcr.io/turbocache/cache-server:" + OperatorInfo.version());
    assertThat(OperatorInfo.version()).isEqualTo("0.1.0-SNAPSHOT");
    assertThat(c.getCommand()).containsExactly("java", "-jar", "/app/turbocache-server.jar");
    assertThat(c.getArgs()).containsExactly("serve", "--config", "/etc/turbocache/config.yaml");
    assertThat(c.getPorts()).extracting(ContainerPort::getName, ContainerPort::getContainerPort)
        .containsExactly(tuple("http", 8080), tuple("metrics", 9090));
    assertThat(c.getEnv()).anySatisfy(e -> {
      assertThat(e.getName()).isEqualTo("JAVA_TOOL_OPTIONS");
      assertThat(e.getValue()).isEqualTo("-XX:MaxRAMPercentage=60 -XX:+ExitOnOutOfMemoryError");
    });
    assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz/live");
    // the probes go to the management port (not counted as cache traffic, not in the access log)
    assertThat(c.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("metrics");
    assertThat(c.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("metrics");
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/healthz/ready");
    assertThat(c.getResources().getRequests()).containsEntry("cpu", new Quantity("250m"));
    // The heap is 60 % of the limit: 1.2 GiB, twice the default 512Mi memory tier.
    assertThat(c.getResources().getRequests()).containsEntry("memory", new Quantity("2Gi"));
    assertThat(c.getResources().getLimits()).containsEntry("memory", new Quantity("2Gi"));
    assertThat(d.getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo("monorepo");
  }

  /**
   * The defaults fit together: the heap the JVM takes from the memory limit holds the default
   * memory tier at under half its size, and leaves room under the limit for the JVM's own memory.
   */
  @Test
  void defaultHeapHoldsTheDefaultMemoryTierAndLeavesRoomUnderTheLimit() {
    Container c = container(render(minimal()));
    String options = c.getEnv().stream().filter(e -> e.getName().equals("JAVA_TOOL_OPTIONS"))
        .findFirst().orElseThrow().getValue();
    Matcher percent = Pattern.compile("-XX:MaxRAMPercentage=(\\d+)").matcher(options);
    assertThat(percent.find()).as(options).isTrue();
    long limit = Quantity.getAmountInBytes(c.getResources().getLimits().get("memory")).longValue();
    long heap = limit * Integer.parseInt(percent.group(1)) / 100;
    long memoryTier = Quantity.getAmountInBytes(
        new Quantity(ApiDefaults.MEMORY_MAX_SIZE)).longValue();
    assertThat(memoryTier).as("memory tier vs heap %d", heap).isLessThanOrEqualTo(heap / 2);
    assertThat(limit - heap).as("room beside the heap").isGreaterThanOrEqualTo(512L << 20);
    assertThat(c.getResources().getRequests().get("memory"))
        .as("the node must have what the JVM will use").isEqualTo(c.getResources().getLimits().get("memory"));
  }

  @Test
  void restrictedSecurityContext() {
    Deployment d = render(minimal());
    PodSpec pod = d.getSpec().getTemplate().getSpec();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    var sc = container(d).getSecurityContext();
    assertThat(sc.getRunAsNonRoot()).isTrue();
    assertThat(sc.getReadOnlyRootFilesystem()).isTrue();
    assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
    assertThat(sc.getPrivileged()).isFalse();
    assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(sc.getCapabilities().getAdd()).isNullOrEmpty();
    assertThat(sc.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
  }

  @Test
  void mountsConfigTokensAndWritablePaths() {
    Deployment d = render(minimal());
    assertThat(container(d).getVolumeMounts())
        .extracting(VolumeMount::getMountPath)
        .containsExactlyInAnyOrder("/etc/turbocache/config.yaml", "/etc/turbocache/tokens", "/var/lib/turbocache", "/tmp");
    VolumeMount config = container(d).getVolumeMounts().stream().filter(m -> m.getName().equals("config")).findFirst().orElseThrow();
    assertThat(config.getSubPath()).isEqualTo("config.yaml");
    VolumeMount tokensMount = container(d).getVolumeMounts().stream().filter(m -> m.getName().equals("tokens")).findFirst().orElseThrow();
    assertThat(tokensMount.getSubPath()).as("subPath mounts never see Secret updates").isNull();
    assertThat(volume(d, "config").getConfigMap().getName()).isEqualTo("monorepo-config");
    var secret = volume(d, "tokens").getSecret();
    assertThat(secret.getSecretName()).isEqualTo("turbo-tokens");
    assertThat(secret.getItems()).singleElement().satisfies(i -> {
      assertThat(i.getKey()).isEqualTo("tokens.yaml");
      assertThat(i.getPath()).isEqualTo("tokens.yaml");
    });
    assertThat(volume(d, "data").getEmptyDir().getSizeLimit()).isEqualTo(new Quantity("20Gi"));
    assertThat(volume(d, "tmp").getEmptyDir()).isNotNull();
  }

  @Test
  void withJwtTheRevokedIdsFileIsADirectoryMountOfItsConfigMapKey() {
    assertThat(volumeNames(render(minimal()))).doesNotContain("revocations");
    TurboCache cr = minimal();
    cr.getSpec().auth.jwt = TestResources.githubActionsJwt();
    Deployment d = render(cr);
    VolumeMount mount = container(d).getVolumeMounts().stream().filter(m -> m.getName().equals("revocations")).findFirst().orElseThrow();
    assertThat(mount.getMountPath()).isEqualTo("/etc/turbocache/revocations");
    assertThat(mount.getSubPath()).as("subPath mounts never see ConfigMap updates").isNull();
    assertThat(mount.getReadOnly()).isTrue();
    var configMap = volume(d, "revocations").getConfigMap();
    assertThat(configMap.getName()).isEqualTo("monorepo-config");
    assertThat(configMap.getItems()).singleElement().satisfies(i -> {
      assertThat(i.getKey()).isEqualTo("revoked-token-ids.txt");
      assertThat(i.getPath()).isEqualTo("revoked-token-ids.txt");
    });
  }

  private static List<String> volumeNames(Deployment d) {
    return d.getSpec().getTemplate().getSpec().getVolumes().stream().map(Volume::getName).toList();
  }

  @Test
  void diskWithStorageClassGetsAPerPodEphemeralClaim() {
    TurboCache cr = minimal();
    cr.getSpec().tiers = new TiersSpec();
    cr.getSpec().tiers.disk = new DiskTierSpec();
    cr.getSpec().tiers.disk.size = "50Gi";
    cr.getSpec().tiers.disk.storageClassName = "fast-ssd";
    var claim = volume(render(cr), "data").getEphemeral().getVolumeClaimTemplate().getSpec();
    assertThat(claim.getStorageClassName()).isEqualTo("fast-ssd");
    assertThat(claim.getResources().getRequests()).containsEntry("storage", new Quantity("50Gi"));
  }

  @Test
  void diskDisabledKeepsOnlyAScratchDirectory() {
    TurboCache cr = minimal();
    cr.getSpec().tiers = new TiersSpec();
    cr.getSpec().tiers.disk = new DiskTierSpec();
    cr.getSpec().tiers.disk.enabled = false;
    cr.getSpec().tiers.disk.storageClassName = "fast-ssd";
    Volume data = volume(render(cr), "data");
    assertThat(data.getEphemeral()).isNull();
    assertThat(data.getEmptyDir().getSizeLimit()).isEqualTo(new Quantity("1Gi"));
  }

  @Test
  void autoscalingLeavesTheReplicaCountToTheHpa() {
    TurboCache cr = minimal();
    cr.getSpec().server = new ServerSpec();
    cr.getSpec().server.replicas = 5;
    assertThat(render(cr).getSpec().getReplicas()).isEqualTo(5);
    cr.getSpec().server.autoscaling = new AutoscalingSpec();
    cr.getSpec().server.autoscaling.maxReplicas = 10;
    assertThat(render(cr).getSpec().getReplicas()).isNull();
  }

  @Test
  void userImageResourcesAndJvmOptions() {
    TurboCache cr = minimal();
    cr.getSpec().server = new ServerSpec();
    cr.getSpec().server.image = "registry.local/cache-server:1.2.3";
    cr.getSpec().server.imagePullPolicy = ServerSpec.ImagePullPolicy.Always;
    cr.getSpec().server.javaToolOptions = "-Xmx1g";
    cr.getSpec().server.resources =
        new ResourceRequirementsBuilder().addToLimits("memory", new Quantity("4Gi")).build();
    Container c = container(render(cr));
    assertThat(c.getImage()).isEqualTo("registry.local/cache-server:1.2.3");
    assertThat(c.getImagePullPolicy()).isEqualTo("Always");
    assertThat(c.getEnv()).anySatisfy(e -> assertThat(e.getValue()).isEqualTo("-Xmx1g"));
    assertThat(c.getResources().getLimits()).containsOnlyKeys("memory").containsEntry("memory", new Quantity("4Gi"));
  }

  @Test
  void podTemplateOverridesAreMergedAndOperatorLabelsWin() {
    TurboCache cr = minimal();
    cr.getSpec().server = new ServerSpec();
    PodTemplateOverrides o = new PodTemplateOverrides();
    o.metadata = new PodTemplateOverrides.Metadata();
    o.metadata.labels = Map.of("team", "build", "app.kubernetes.io/name", "hijack");
    o.metadata.annotations = Map.of("prometheus.io/scrape", "true", ServerDeployment.CHECKSUM_ANNOTATION, "forged");
    o.spec = new PodTemplateOverrides.Spec();
    o.spec.nodeSelector = Map.of("pool", "ci");
    o.spec.tolerations = List.of(new TolerationBuilder().withKey("dedicated").withValue("ci").withEffect("NoSchedule").build());
    o.spec.priorityClassName = "high";
    o.spec.affinity =
        new AffinityBuilder().withNewNodeAffinity().withNewRequiredDuringSchedulingIgnoredDuringExecution()
            .addNewNodeSelectorTerm().addNewMatchExpression().withKey("zone").withOperator("In").withValues("a")
            .endMatchExpression().endNodeSelectorTerm().endRequiredDuringSchedulingIgnoredDuringExecution()
            .endNodeAffinity().build();
    cr.getSpec().server.podTemplate = o;

    Deployment d = render(cr);
    var meta = d.getSpec().getTemplate().getMetadata();
    assertThat(meta.getLabels()).containsEntry("team", "build").containsEntry("app.kubernetes.io/name", "turbocache");
    assertThat(meta.getAnnotations()).containsEntry("prometheus.io/scrape", "true");
    assertThat(checksum(d)).isNotEqualTo("forged").hasSize(64);
    PodSpec pod = d.getSpec().getTemplate().getSpec();
    assertThat(pod.getNodeSelector()).containsEntry("pool", "ci");
    assertThat(pod.getTolerations()).singleElement().satisfies(t -> assertThat(t.getKey()).isEqualTo("dedicated"));
    assertThat(pod.getPriorityClassName()).isEqualTo("high");
    assertThat(pod.getAffinity().getNodeAffinity()).isNotNull();
    assertThat(pod.getAffinity().getPodAntiAffinity()).as("user affinity replaces the default").isNull();
    assertThat(d.getSpec().getSelector().getMatchLabels()).doesNotContainKey("team");
  }

  @Test
  void defaultAffinitySpreadsOverNodes() {
    PodSpec pod = render(minimal()).getSpec().getTemplate().getSpec();
    assertThat(pod.getAffinity().getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution())
        .singleElement()
        .satisfies(t -> assertThat(t.getPodAffinityTerm().getTopologyKey()).isEqualTo("kubernetes.io/hostname"));
    assertThat(pod.getNodeSelector()).isNullOrEmpty();
  }

  @Test
  void childrenDoNotInheritTheLabelsOrAnnotationsOfTheCr() {
    Deployment d = render(minimal());
    assertThat(d.getMetadata().getLabels())
        .containsExactlyInAnyOrderEntriesOf(Map.of(
            "app.kubernetes.io/name", "turbocache",
            "app.kubernetes.io/instance", "monorepo",
            "app.kubernetes.io/component", "cache-server",
            "app.kubernetes.io/managed-by", "turbocache-operator"));
    assertThat(d.getMetadata().getAnnotations()).isNullOrEmpty();
    assertThat(d.getSpec().getTemplate().getMetadata().getLabels()).doesNotContainKey("argocd.argoproj.io/instance");
    assertThat(d.getSpec().getTemplate().getMetadata().getAnnotations()).doesNotContainKey("argocd.argoproj.io/tracking-id");
  }

  @Test
  void checksumMovesWhenTheConfigChangesNotTheFilesTheServerReadsAgain() {
    TurboCache cr = minimal();
    String base = checksum(render(cr));
    assertThat(checksum(render(minimal()))).as("deterministic").isEqualTo(base);

    TurboCache relabelled = minimal();
    relabelled.getMetadata().setLabels(Map.of("other", "label"));
    assertThat(checksum(render(relabelled))).as("CR metadata is not config").isEqualTo(base);

    TurboCache configChanged = minimal();
    configChanged.getSpec().server = new ServerSpec();
    configChanged.getSpec().server.maxArtifactSize = "1Gi";
    assertThat(checksum(render(configChanged))).isNotEqualTo(base);

    TurboCache jwt = minimal();
    jwt.getSpec().auth.jwt = TestResources.githubActionsJwt();
    TurboCache revoked = minimal();
    revoked.getSpec().auth.jwt = TestResources.githubActionsJwt();
    revoked.getSpec().auth.jwt.revokedTokenIds = List.of("leaked-job-1");
    assertThat(checksum(render(revoked))).as("a revoked token id reaches the running pods: no roll")
        .isEqualTo(checksum(render(jwt)));

    String otherTokens = checksum(ServerDeployment.desired(cr, tokens(cr, TOKENS_YAML + "- {name: ro, token: x, teams: ['*'], access: read}\n")));
    assertThat(otherTokens).as("new tokens reach the running pods: no roll").isEqualTo(base);
    String missing = checksum(ServerDeployment.desired(cr, ServerSecrets.observe(cr, List.of())));
    assertThat(missing).as("the pods start once the kubelet can mount the Secret").isEqualTo(base);
  }

  @Test
  void tokensKeyIsConfigurable() {
    TurboCache cr = minimal();
    cr.getSpec().auth.tokensSecretRef.key = "custom.yaml";
    var secret = ServerDeployment.desired(cr, ServerSecrets.observe(cr, List.of())).getSpec().getTemplate().getSpec().getVolumes()
        .stream().filter(v -> v.getName().equals("tokens")).findFirst().orElseThrow().getSecret();
    assertThat(secret.getItems()).singleElement().satisfies(i -> {
      assertThat(i.getKey()).isEqualTo("custom.yaml");
      assertThat(i.getPath()).isEqualTo("tokens.yaml");
    });
  }

  static final String REDIS_PASSWORD = "redis-password-1";
  static final String S3_ID = "AKIAEXAMPLE";
  static final String S3_SECRET = "s3-secret-1";

  static List<Secret> tierSecrets(String redisPassword, String s3Secret) {
    return List.of(
        TestResources.tokensSecret(TOKENS_YAML),
        TestResources.secret(TestResources.REDIS_SECRET, Map.of("password", redisPassword)),
        TestResources.secret(TestResources.S3_SECRET, Map.of("AWS_ACCESS_KEY_ID", S3_ID, "AWS_SECRET_ACCESS_KEY", s3Secret)));
  }

  static TurboCache redisAndS3() {
    return TestResources.withS3(TestResources.withExternalRedis(minimal(), true), TestResources.S3Auth.SECRET);
  }

  @Test
  void tierSecretsReachTheContainerOnlyAsSecretKeyRefs() {
    TurboCache cr = redisAndS3();
    Deployment d = ServerDeployment.desired(cr, ServerSecrets.observe(cr, tierSecrets(REDIS_PASSWORD, S3_SECRET)));

    assertThat(container(d).getEnv()).filteredOn(e -> e.getName().startsWith("TURBOCACHE_"))
        .extracting(e -> e.getName() + "=" + e.getValueFrom().getSecretKeyRef().getName() + "/" + e.getValueFrom().getSecretKeyRef().getKey())
        .containsExactly(
            "TURBOCACHE_STORAGE_REDIS_PASSWORD=redis-auth/password",
            "TURBOCACHE_STORAGE_S3_ACCESS_KEY_ID=s3-keys/AWS_ACCESS_KEY_ID",
            "TURBOCACHE_STORAGE_S3_SECRET_ACCESS_KEY=s3-keys/AWS_SECRET_ACCESS_KEY");
    assertThat(container(d).getEnv()).allSatisfy(e -> assertThat(e.getValue()).isNotIn(REDIS_PASSWORD, S3_ID, S3_SECRET));
    assertThat(container(d).getEnv()).filteredOn(e -> e.getValueFrom() != null)
        .allSatisfy(e -> assertThat(e.getValueFrom().getSecretKeyRef().getOptional()).as("the pod waits for the Secret").isFalse());
    String configMap = ServerConfigMap.desired(cr).getData().toString();
    assertThat(List.of(REDIS_PASSWORD, S3_ID, S3_SECRET)).noneMatch(configMap::contains);
    assertThat(Serialization.asYaml(d)).doesNotContain(REDIS_PASSWORD).doesNotContain(S3_SECRET);
  }

  @Test
  void passwordKeyDefaultsToPasswordAndIrsaOrDefaultChainNeedNoEnv() {
    TurboCache cr = TestResources.withExternalRedis(minimal(), true);
    assertThat(container(render(cr)).getEnv()).anySatisfy(e -> {
      assertThat(e.getName()).isEqualTo("TURBOCACHE_STORAGE_REDIS_PASSWORD");
      assertThat(e.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("password");
    });
    for (TestResources.S3Auth auth : List.of(TestResources.S3Auth.ROLE_ARN, TestResources.S3Auth.POD_IDENTITY, TestResources.S3Auth.DEFAULT_CHAIN)) {
      TurboCache s3 = TestResources.withS3(minimal(), auth);
      assertThat(container(render(s3)).getEnv()).as("%s", auth).extracting(e -> e.getName()).containsExactly("JAVA_TOOL_OPTIONS");
    }
    TurboCache sentinel = TestResources.withExternalRedis(minimal(), true);
    sentinel.getSpec().tiers.redis.mode = RedisTierSpec.Mode.Sentinel;
    assertThat(container(render(sentinel)).getEnv()).as("the generated password, for Redis and for the sentinels")
        .filteredOn(e -> e.getValueFrom() != null)
        .allSatisfy(e -> {
          assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("monorepo-redis-auth");
          assertThat(e.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("password");
        })
        .extracting(e -> e.getName())
        .containsExactly("TURBOCACHE_STORAGE_REDIS_PASSWORD", "TURBOCACHE_STORAGE_REDIS_SENTINEL_PASSWORD");
  }

  @Test
  void checksumCoversTheReferencedSecretsData() {
    TurboCache cr = redisAndS3();
    String base = checksum(ServerDeployment.desired(cr, ServerSecrets.observe(cr, tierSecrets(REDIS_PASSWORD, S3_SECRET))));
    assertThat(checksum(ServerDeployment.desired(cr, ServerSecrets.observe(cr, tierSecrets(REDIS_PASSWORD, S3_SECRET)))))
        .as("deterministic").isEqualTo(base);
    String otherPassword = checksum(ServerDeployment.desired(cr, ServerSecrets.observe(cr, tierSecrets("redis-password-2", S3_SECRET))));
    String otherS3 = checksum(ServerDeployment.desired(cr, ServerSecrets.observe(cr, tierSecrets(REDIS_PASSWORD, "s3-secret-2"))));
    List<Secret> withoutS3 = tierSecrets(REDIS_PASSWORD, S3_SECRET).subList(0, 2);
    String missingS3 = checksum(ServerDeployment.desired(cr, ServerSecrets.observe(cr, withoutS3)));
    assertThat(List.of(otherPassword, otherS3, missingS3)).doesNotHaveDuplicates().doesNotContain(base);

    // an unrelated Secret, or one of another namespace with a referenced name, changes nothing
    List<Secret> noise = new java.util.ArrayList<>(tierSecrets(REDIS_PASSWORD, S3_SECRET));
    noise.add(TestResources.secret("unrelated", Map.of("password", "x")));
    Secret elsewhere = TestResources.secret(TestResources.REDIS_SECRET, Map.of("password", "other"));
    elsewhere.getMetadata().setNamespace("elsewhere");
    noise.add(0, elsewhere);
    assertThat(checksum(ServerDeployment.desired(cr, ServerSecrets.observe(cr, noise)))).isEqualTo(base);
  }
}
