package dev.turbocache.operator.helm;

import static dev.turbocache.operator.helm.TurboCacheChart.NAMESPACE;
import static dev.turbocache.operator.helm.TurboCacheChart.RELEASE;
import static dev.turbocache.operator.helm.TurboCacheChart.set;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.LintResult;
import dev.turbocache.operator.OperatorSettings;
import dev.turbocache.operator.model.OperatorInfo;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** helm lint and helm template of helm/turbocache-operator, for the defaults and each documented variant. */
class HelmChartTest {
  static final String LEASE_ROLE = RELEASE + "-leader-election";

  static Stream<String> defaultsAndVariants() {
    return Stream.concat(Stream.of("defaults"), TurboCacheChart.variants().stream());
  }

  static Map<String, Object> values(String variant) {
    return variant.equals("defaults") ? Map.of() : TurboCacheChart.readValues(TurboCacheChart.variant(variant));
  }

  static Container operator(Deployment d) {
    return d.getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  static Map<String, String> env(Deployment d) {
    return OperatorPod.environment(d);
  }

  @Test
  void theDocumentedVariantsExist() {
    assertThat(TurboCacheChart.variants()).contains("namespaced", "monitoring", "irsa");
  }

  @ParameterizedTest
  @MethodSource("defaultsAndVariants")
  void lintPassesStrict(String variant) {
    LintResult lint = TurboCacheChart.lint(values(variant));
    assertThat(lint.isFailed()).as("helm lint --strict: %s", lint.getMessages()).isFalse();
    assertThat(lint.getMessages()).noneMatch(m -> m.startsWith("[WARNING]") || m.startsWith("[ERROR]"));
  }

  @ParameterizedTest
  @MethodSource("defaultsAndVariants")
  void everyNamespacedObjectOutsideTheWatchedNamespacesIsInTheReleaseNamespace(String variant) {
    TurboCacheChart.Rendered r = TurboCacheChart.render(values(variant));
    List<String> watched = OperatorSettings.fromEnv(env(r.one(Deployment.class))).watchNamespaces().stream().toList();
    for (HasMetadata o : r.objects()) {
      boolean clusterScoped = o instanceof ClusterRole || o instanceof ClusterRoleBinding;
      if (clusterScoped) {
        assertThat(o.getMetadata().getNamespace()).as("%s %s", o.getKind(), o.getMetadata().getName()).isNull();
      } else if (!watched.contains(o.getMetadata().getNamespace())) {
        assertThat(o.getMetadata().getNamespace()).as("%s %s", o.getKind(), o.getMetadata().getName()).isEqualTo(NAMESPACE);
      }
      assertThat(o.getMetadata().getLabels())
          .containsEntry("app.kubernetes.io/instance", RELEASE)
          .containsEntry("app.kubernetes.io/managed-by", "Helm");
    }
  }

  @Test
  void theDefaultsAreAClusterWideOperatorWithLeaderElection() {
    TurboCacheChart.Rendered r = TurboCacheChart.render(Map.of());
    Deployment d = r.one(Deployment.class);
    assertThat(d.getSpec().getReplicas()).isEqualTo(2);
    assertThat(operator(d).getImage()).isEqualTo("ghcr.io/turbocache/operator:" + OperatorInfo.version());
    OperatorSettings settings = OperatorSettings.fromEnv(env(d));
    assertThat(settings.watchAllNamespaces()).isTrue();
    assertThat(settings.leaderElection()).isTrue();
    assertThat(settings.ownNamespace()).as("POD_NAMESPACE from the downward API").isEqualTo(NAMESPACE);
    assertThat(settings.leaseName()).isEqualTo(RELEASE);

    ServiceAccount sa = r.one(ServiceAccount.class);
    assertThat(d.getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo(sa.getMetadata().getName());
    ClusterRoleBinding binding = r.one(ClusterRoleBinding.class);
    assertThat(binding.getRoleRef().getName()).isEqualTo(r.one(ClusterRole.class).getMetadata().getName());
    assertThat(binding.getSubjects()).singleElement().satisfies(s -> isTheServiceAccount(s, sa));
    assertThat(r.all(Role.class)).extracting(x -> x.getMetadata().getName()).containsExactly(LEASE_ROLE);
    assertThat(r.kind("ServiceMonitor")).isEmpty();
  }

  /** Renewing is allowed on this release's Lease only, under the name the operator is given. */
  @Test
  void theLeaseRoleIsLimitedToTheReleasesLease() {
    TurboCacheChart.Rendered r = TurboCacheChart.render(Map.of("fullnameOverride", "cache-op"));
    Role lease = r.named(Role.class, "cache-op-leader-election");
    String leaseName = OperatorSettings.fromEnv(env(r.one(Deployment.class))).leaseName();
    assertThat(leaseName).isEqualTo("cache-op");
    assertThat(lease.getRules()).allSatisfy(rule -> assertThat(rule.getResources()).containsExactly("leases"));
    assertThat(lease.getRules()).filteredOn(rule -> rule.getVerbs().contains("update")).singleElement()
        .satisfies(rule -> assertThat(rule.getResourceNames()).containsExactly(leaseName));
    assertThat(lease.getRules()).filteredOn(rule -> rule.getResourceNames().isEmpty()).singleElement()
        .satisfies(rule -> assertThat(rule.getVerbs()).containsExactly("create"));
    RoleBinding binding = r.named(RoleBinding.class, "cache-op-leader-election");
    assertThat(binding.getRoleRef().getName()).isEqualTo(lease.getMetadata().getName());
  }

  @Test
  void withoutLeaderElectionThereIsNoLeaseRoleAndOneReplica() {
    TurboCacheChart.Rendered r = TurboCacheChart.render(Map.of("replicas", 1, "leaderElection", Map.of("enabled", false)));
    assertThat(r.all(Role.class)).isEmpty();
    assertThat(r.all(RoleBinding.class)).isEmpty();
    OperatorSettings settings = OperatorSettings.fromEnv(env(r.one(Deployment.class)));
    assertThat(settings.leaderElection()).isFalse();
    assertThat(env(r.one(Deployment.class))).doesNotContainKey("TURBOCACHE_LEASE_NAME");
  }

  /**
   * Namespaced RBAC is the same rules as the ClusterRole (one template makes both), bound per
   * namespace; the one cluster-scoped read (whether prometheus-operator's CRDs exist) stays a
   * ClusterRole of its own.
   */
  @Test
  void namespacedRbacIsARoleWithTheClusterRolesRulesInEachWatchedNamespace() {
    List<PolicyRule> allRules = TurboCacheChart.render(Map.of()).one(ClusterRole.class).getRules();
    List<PolicyRule> clusterScoped = allRules.stream().filter(rule -> rule.getApiGroups().contains("apiextensions.k8s.io")).toList();
    assertThat(clusterScoped).singleElement().satisfies(rule -> {
      assertThat(rule.getVerbs()).containsExactly("get");
      assertThat(rule.getResourceNames())
          .containsExactlyInAnyOrder("servicemonitors.monitoring.coreos.com", "prometheusrules.monitoring.coreos.com",
              "turbocaches.turbocache.dev");
    });
    List<PolicyRule> clusterRules = allRules.stream().filter(rule -> !clusterScoped.contains(rule)).toList();
    TurboCacheChart.Rendered r = TurboCacheChart.render(values("namespaced"));
    List<String> watched = List.of("build-infra", "ci");
    assertThat(OperatorSettings.fromEnv(env(r.one(Deployment.class))).watchNamespaces()).containsExactlyInAnyOrderElementsOf(watched);
    ServiceAccount sa = r.one(ServiceAccount.class);
    assertThat(r.one(ClusterRole.class).getRules()).isEqualTo(clusterScoped);
    assertThat(r.one(ClusterRoleBinding.class).getRoleRef().getName()).isEqualTo(r.one(ClusterRole.class).getMetadata().getName());
    assertThat(r.one(ClusterRoleBinding.class).getSubjects()).singleElement().satisfies(s -> isTheServiceAccount(s, sa));
    for (String ns : watched) {
      Role role = r.all(Role.class).stream().filter(x -> ns.equals(x.getMetadata().getNamespace())).findFirst().orElseThrow();
      assertThat(role.getRules()).isEqualTo(clusterRules);
      RoleBinding binding = r.all(RoleBinding.class).stream().filter(x -> ns.equals(x.getMetadata().getNamespace()))
          .findFirst().orElseThrow();
      assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
      assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
      assertThat(binding.getSubjects()).singleElement().satisfies(s -> isTheServiceAccount(s, sa));
    }
    assertThat(r.named(Role.class, LEASE_ROLE).getMetadata().getNamespace()).isEqualTo(NAMESPACE);
  }

  @Test
  void monitoringAddsAServiceMonitorForTheOperatorsMetricsPort() {
    TurboCacheChart.Rendered r = TurboCacheChart.render(values("monitoring"));
    ServiceMonitor sm = r.one(ServiceMonitor.class);
    assertThat(sm.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
    assertThat(sm.getMetadata().getLabels()).containsEntry("release", "kube-prometheus-stack");
    Service service = r.one(Service.class);
    assertThat(service.getMetadata().getLabels()).containsAllEntriesOf(sm.getSpec().getSelector().getMatchLabels());
    assertThat(sm.getSpec().getNamespaceSelector().getMatchNames()).containsExactly(NAMESPACE);
    assertThat(sm.getSpec().getEndpoints()).singleElement().satisfies(e -> {
      assertThat(e.getPath()).isEqualTo("/metrics");
      assertThat(e.getInterval()).isEqualTo("30s");
      assertThat(e.getHonorLabels()).as("the Redis gauges keep their TurboCache's namespace label").isTrue();
      assertThat(service.getSpec().getPorts()).anyMatch(p -> p.getName().equals(e.getPort()));
    });
    // the Service reaches the container port the operator serves /metrics on
    Deployment d = r.one(Deployment.class);
    assertThat(service.getSpec().getSelector()).isEqualTo(d.getSpec().getSelector().getMatchLabels());
    String target = service.getSpec().getPorts().get(0).getTargetPort().getStrVal();
    assertThat(operator(d).getPorts()).filteredOn(p -> p.getName().equals(target)).singleElement()
        .satisfies(p -> assertThat(p.getContainerPort()).isEqualTo(OperatorSettings.fromEnv(env(d)).httpPort()));
  }

  @Test
  void irsaAnnotatesTheOperatorsServiceAccount() {
    TurboCacheChart.Rendered r = TurboCacheChart.render(values("irsa"));
    assertThat(r.one(ServiceAccount.class).getMetadata().getAnnotations())
        .containsEntry("eks.amazonaws.com/role-arn", "arn:aws:iam::123456789012:role/turbocache-operator");
  }

  @Test
  void podValuesReachTheDeployment() throws IOException {
    Map<String, Object> values = new YAMLMapper().readValue(
        """
        image: {repository: registry.example.com/turbocache-operator, tag: "9.9.9", pullPolicy: Always}
        imagePullSecrets: [{name: registry-login}]
        replicas: 3
        resources: {requests: {cpu: 200m, memory: 300Mi}, limits: {cpu: "1", memory: 1Gi}}
        nodeSelector: {kubernetes.io/os: linux}
        tolerations: [{key: dedicated, operator: Equal, value: infra, effect: NoSchedule}]
        affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: pool, operator: In, values: [infra]}]}]}}}
        topologySpreadConstraints: [{maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: ScheduleAnyway}]
        priorityClassName: system-cluster-critical
        podLabels: {team: platform}
        podAnnotations: {example.com/scrape: "false"}
        extraEnv: [{name: JAVA_TOOL_OPTIONS, value: "-XX:MaxRAMPercentage=60"}, {name: FROM_SECRET, valueFrom: {secretKeyRef: {name: s, key: k}}}]
        """, Map.class);
    Deployment d = TurboCacheChart.render(values).one(Deployment.class);
    PodSpec pod = d.getSpec().getTemplate().getSpec();
    Container c = operator(d);
    assertThat(d.getSpec().getReplicas()).isEqualTo(3);
    assertThat(c.getImage()).isEqualTo("registry.example.com/turbocache-operator:9.9.9");
    assertThat(c.getImagePullPolicy()).isEqualTo("Always");
    assertThat(pod.getImagePullSecrets()).extracting(s -> s.getName()).containsExactly("registry-login");
    assertThat(c.getResources().getLimits().get("memory").toString()).isEqualTo("1Gi");
    assertThat(c.getResources().getRequests().get("cpu").toString()).isEqualTo("200m");
    assertThat(pod.getNodeSelector()).containsEntry("kubernetes.io/os", "linux");
    assertThat(pod.getTolerations()).singleElement().satisfies(t -> assertThat(t.getValue()).isEqualTo("infra"));
    assertThat(pod.getAffinity().getNodeAffinity()).isNotNull();
    assertThat(pod.getTopologySpreadConstraints()).singleElement()
        .satisfies(t -> assertThat(t.getTopologyKey()).isEqualTo("topology.kubernetes.io/zone"));
    assertThat(pod.getPriorityClassName()).isEqualTo("system-cluster-critical");
    assertThat(d.getSpec().getTemplate().getMetadata().getLabels()).containsEntry("team", "platform")
        .containsAllEntriesOf(d.getSpec().getSelector().getMatchLabels());
    assertThat(d.getSpec().getSelector().getMatchLabels()).doesNotContainKey("team");
    assertThat(d.getSpec().getTemplate().getMetadata().getAnnotations()).containsEntry("example.com/scrape", "false");
    assertThat(env(d)).containsEntry("JAVA_TOOL_OPTIONS", "-XX:MaxRAMPercentage=60");
    assertThat(c.getEnv()).filteredOn(e -> e.getName().equals("FROM_SECRET")).singleElement()
        .satisfies(e -> assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("s"));
  }

  /** The restricted Pod Security Standard, whatever the values. */
  @Test
  void thePodIsRestricted() {
    Deployment d = TurboCacheChart.render(Map.of()).one(Deployment.class);
    var pod = d.getSpec().getTemplate().getSpec().getSecurityContext();
    assertThat(pod.getRunAsNonRoot()).isTrue();
    assertThat(pod.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    var c = operator(d).getSecurityContext();
    assertThat(c.getAllowPrivilegeEscalation()).isFalse();
    assertThat(c.getReadOnlyRootFilesystem()).isTrue();
    assertThat(c.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(operator(d).getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz/live");
    assertThat(operator(d).getReadinessProbe().getHttpGet().getPath()).isEqualTo("/healthz/ready");
  }

  @Test
  void rbacAndTheServiceAccountCanBeTheUsers() {
    TurboCacheChart.Rendered r = TurboCacheChart.render(Map.of(
        "rbac", Map.of("create", false), "serviceAccount", Map.of("create", false, "name", "platform-operator")));
    assertThat(r.objects()).extracting(HasMetadata::getKind).containsExactlyInAnyOrder("Deployment", "Service");
    assertThat(r.one(Deployment.class).getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo("platform-operator");

    TurboCacheChart.Rendered bound = TurboCacheChart.render(Map.of("serviceAccount", Map.of("create", false, "name", "platform-operator")));
    assertThat(bound.all(ServiceAccount.class)).isEmpty();
    assertThat(bound.one(ClusterRoleBinding.class).getSubjects()).singleElement()
        .satisfies(s -> assertThat(s.getName()).isEqualTo("platform-operator"));
  }

  static Stream<Arguments> invalidValues() {
    return Stream.of(
        Arguments.of(Map.of("replica", 3), "additional properties 'replica' not allowed"),
        Arguments.of(Map.of("replicas", "two"), "at '/replicas': got string, want integer"),
        Arguments.of(Map.of("replicas", -1), "at '/replicas'"),
        Arguments.of(Map.of("watchNamespaces", List.of("Build_Infra")), "at '/watchNamespaces/0': 'Build_Infra' does not match pattern"),
        Arguments.of(Map.of("watchNamespaces", List.of("ci", "ci")), "at '/watchNamespaces'"),
        Arguments.of(Map.of("image", Map.of("repository", "x", "pullPolicy", "Sometimes")), "at '/image/pullPolicy'"),
        Arguments.of(Map.of("image", Map.of("tag", 1.2)), "at '/image/tag'"),
        Arguments.of(set(Map.of(), "metrics.serviceMonitor.interval", "30 seconds"), "at '/metrics/serviceMonitor/interval'"),
        Arguments.of(set(Map.of(), "metrics.serviceMonitor.enable", true), "additional properties 'enable' not allowed"),
        Arguments.of(Map.of("serviceAccount", Map.of("annotations", Map.of("a", 1))), "at '/serviceAccount/annotations/a'"),
        Arguments.of(Map.of("extraEnv", List.of(Map.of("value", "x"))), "at '/extraEnv/0': missing property 'name'"),
        Arguments.of(Map.of("extraEnv", List.of(Map.of("name", "TURBOCACHE_WATCH_NAMESPACES", "value", "x"))),
            "at '/extraEnv/0/name': 'not' failed"),
        Arguments.of(Map.of("replicas", 2, "leaderElection", Map.of("enabled", false)),
            "at '/leaderElection/enabled': value must be true"));
  }

  @ParameterizedTest
  @MethodSource("invalidValues")
  void invalidValuesAreRejectedWithAMessageNamingTheValue(Map<String, Object> values, String message) {
    assertThatThrownBy(() -> TurboCacheChart.template(values)).hasMessageContaining(message);
    LintResult lint = TurboCacheChart.lint(values);
    assertThat(lint.isFailed()).isTrue();
    assertThat(String.join("\n", lint.getMessages())).contains(message);
  }

  /** extraEnv may not repeat a variable the chart sets: the schema lists exactly those. */
  @Test
  void theSchemaReservesTheVariablesTheChartSets() throws IOException {
    JsonNode reserved = new ObjectMapper().readTree(TurboCacheChart.dir().resolve("values.schema.json").toFile())
        .at("/properties/extraEnv/items/properties/name/not/enum");
    List<String> names = new ArrayList<>();
    reserved.forEach(n -> names.add(n.asText()));
    Container c = operator(TurboCacheChart.render(Map.of("aws", Map.of("credentialsSecret", "op-aws"))).one(Deployment.class));
    assertThat(names).containsExactlyInAnyOrderElementsOf(c.getEnv().stream().map(EnvVar::getName).toList());
  }

  @Test
  void theOperatorMayReadItsAwsCredentialsSecretInTheReleaseNamespaceOnly() {
    assertThat(TurboCacheChart.render(Map.of()).all(Role.class)).extracting(x -> x.getMetadata().getName())
        .as("no AWS Secret, no Role for it").containsExactly(LEASE_ROLE);
    TurboCacheChart.Rendered r = TurboCacheChart.render(Map.of("aws", Map.of("credentialsSecret", "op-aws")));
    Role role = r.named(Role.class, RELEASE + "-aws-credentials");
    assertThat(role.getMetadata().getNamespace()).isEqualTo(r.one(Deployment.class).getMetadata().getNamespace());
    assertThat(role.getRules()).singleElement().satisfies(rule -> {
      assertThat(rule.getResources()).containsExactly("secrets");
      assertThat(rule.getResourceNames()).containsExactly("op-aws");
      assertThat(rule.getVerbs()).containsExactly("get");
    });
    assertThat(r.named(RoleBinding.class, RELEASE + "-aws-credentials").getRoleRef().getName())
        .isEqualTo(role.getMetadata().getName());
    assertThat(operator(r.one(Deployment.class)).getEnv()).anySatisfy(e -> {
      assertThat(e.getName()).isEqualTo("TURBOCACHE_AWS_CREDENTIALS_SECRET");
      assertThat(e.getValue()).isEqualTo("op-aws");
    });
  }

  private static void isTheServiceAccount(Subject s, ServiceAccount sa) {
    assertThat(s.getKind()).isEqualTo("ServiceAccount");
    assertThat(s.getName()).isEqualTo(sa.getMetadata().getName());
    assertThat(s.getNamespace()).isEqualTo(sa.getMetadata().getNamespace());
  }
}
