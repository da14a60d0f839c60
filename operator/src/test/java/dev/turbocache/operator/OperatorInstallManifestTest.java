package dev.turbocache.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.controller.TurboCacheReconciler;
import dev.turbocache.operator.server.ServerDeployment;
import dev.turbocache.operator.model.OperatorInfo;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * examples/install/operator.yaml (kubectl install without Helm) agrees with the code it deploys. The
 * file is the Helm chart rendered with its defaults (InstallManifestTest), so this holds the chart's
 * RBAC and Deployment to the operator's workflow and settings.
 */
class OperatorInstallManifestTest {
  static final String FILE = "install/operator.yaml";
  static final List<String> MANAGE = List.of("get", "list", "watch", "create", "patch", "update", "delete");

  static <T extends HasMetadata> T doc(Class<T> type) {
    String kind = HasMetadata.getKind(type);
    return TestResources.examples().stream()
        .filter(d -> d.file().equals(FILE) && d.doc().path("kind").asText().equals(kind))
        .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " in " + FILE))
        .as(type);
  }

  /** Whether the rules together (RBAC adds them up) allow every one of {@code verbs} on the resource. */
  static boolean grants(List<PolicyRule> rules, Class<? extends HasMetadata> type, String subresource, List<String> verbs) {
    String group = HasMetadata.getGroup(type);
    String resource = HasMetadata.getPlural(type) + (subresource == null ? "" : "/" + subresource);
    return rules.stream()
        .filter(r -> r.getApiGroups().contains(group == null ? "" : group) && r.getResources().contains(resource))
        .flatMap(r -> r.getVerbs().stream())
        .collect(Collectors.toSet())
        .containsAll(verbs);
  }

  @Test
  void clusterRoleCoversEveryChildOfTheWorkflowAndTheInputs() throws Exception {
    List<PolicyRule> rules = doc(ClusterRole.class).getRules();
    Dependent[] dependents = TurboCacheReconciler.class.getAnnotation(Workflow.class).dependents();
    assertThat(dependents).isNotEmpty();
    for (Dependent d : dependents) {
      Class<? extends HasMetadata> type = ((KubernetesDependentResource<?, ?>) d.type().getDeclaredConstructor().newInstance()).resourceType();
      assertThat(grants(rules, type, null, MANAGE)).as("ClusterRole manages %s (dependent %s)", type.getSimpleName(), d.name()).isTrue();
    }
    assertThat(grants(rules, TurboCache.class, null, List.of("get", "list", "watch", "patch"))).isTrue();
    assertThat(grants(rules, TurboCache.class, "status", List.of("patch"))).isTrue();
    assertThat(grants(rules, Secret.class, null, List.of("get", "list", "watch"))).isTrue();
    assertThat(grants(rules, Pod.class, null, List.of("get", "list", "watch", "delete"))).as("Redis pods").isTrue();
    assertThat(grants(rules, Pod.class, null, List.of("create"))).as("pods come from StatefulSets").isFalse();
    assertThat(grants(doc(Role.class).getRules(), Lease.class, null, List.of("get", "create", "update"))).as("leader election Lease").isTrue();
  }

  @Test
  void deploymentRunsThisOperatorVersionWithSettingsItUnderstands() {
    Deployment deployment = doc(Deployment.class);
    var pod = deployment.getSpec().getTemplate().getSpec();
    Container c = pod.getContainers().get(0);
    assertThat(c.getImage()).isEqualTo("ghcr.io/turbocache/operator:" + OperatorInfo.version());
    assertThat(pod.getSecurityContext().getRunAsUser()).as("the Dockerfile's UID").isEqualTo(ServerDeployment.RUN_AS_USER);

    Map<String, String> env = new HashMap<>();
    for (EnvVar e : c.getEnv()) {
      assertThat(e.getName()).isIn(Set.of("POD_NAMESPACE", "TURBOCACHE_WATCH_NAMESPACES", "TURBOCACHE_LEADER_ELECTION",
          "TURBOCACHE_LEASE_NAME", "TURBOCACHE_SERVER_SIDE_APPLY", "TURBOCACHE_HTTP_PORT", "TURBOCACHE_AWS_CREDENTIALS_SECRET",
          "TURBOCACHE_BUCKET_RESYNC_INTERVAL"));
      env.put(e.getName(), e.getValue() != null ? e.getValue() : deployment.getMetadata().getNamespace());
    }
    assertThat(c.getEnv()).filteredOn(e -> e.getName().equals("POD_NAMESPACE")).singleElement()
        .satisfies(e -> assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.namespace"));
    OperatorSettings settings = OperatorSettings.fromEnv(env);
    assertThat(settings.leaderElection()).isTrue();
    assertThat(c.getPorts().get(0).getContainerPort()).isEqualTo(settings.httpPort());
    assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz/live");
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/healthz/ready");
    assertThat(pod.getServiceAccountName()).isEqualTo(doc(io.fabric8.kubernetes.api.model.ServiceAccount.class).getMetadata().getName());
  }
}
