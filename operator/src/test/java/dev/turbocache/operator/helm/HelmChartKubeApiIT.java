package dev.turbocache.operator.helm;

import static dev.turbocache.operator.helm.TurboCacheChart.NAMESPACE;
import static dev.turbocache.operator.helm.TurboCacheChart.RELEASE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.Release;
import com.marcnuri.helm.UpgradeCommand;
import dev.turbocache.operator.LiveTurboCache;
import dev.turbocache.operator.OperatorSettings;
import dev.turbocache.operator.TestResources;
import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.kubeapi.Cluster;
import dev.turbocache.operator.kubeapi.OperatorIdentity;
import dev.turbocache.operator.kubeapi.RealApiServer;
import dev.turbocache.operator.kubeapi.ExpectedChildren;
import dev.turbocache.operator.model.OperatorInfo;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chart installed by Helm (helm-java, with the API server's kubeconfig) on a real Kubernetes
 * 1.26 API server, then the operator run with exactly what it installed: the Deployment's container
 * as a process ({@link OperatorPod}) with a token of the chart's ServiceAccount, so the chart's RBAC
 * is all that authorises it. The suite has an API server of its own: the chart makes cluster-wide
 * objects under the documented release name, which other suites' copies of the install manifest
 * would otherwise already hold, and uninstalling is checked against a cluster nothing else uses.
 * Nothing runs Pods here, so nothing waits for the Deployment to become ready (no --wait).
 */
class HelmChartKubeApiIT {
  static final Duration RECONCILED = Duration.ofSeconds(90);
  static RealApiServer api;
  static KubernetesClient admin;

  @BeforeAll
  static void startApiServer() {
    api = RealApiServer.start();
    admin = api.admin();
  }

  @AfterAll
  static void stopApiServer() throws IOException {
    api.close();
  }

  static Release install(String release, String namespace, Map<String, Object> values) {
    return TurboCacheChart.withValuesFile(values, file -> {
      InstallCommand install = new Helm(TurboCacheChart.dir()).install().withName(release).withNamespace(namespace)
          .createNamespace().withKubeConfig(api.kubeconfigFile());
      return (file == null ? install : install.withValuesFile(file)).call();
    });
  }

  static Release upgrade(String release, String namespace, Map<String, Object> values) {
    return TurboCacheChart.withValuesFile(values, file -> {
      UpgradeCommand upgrade = new Helm(TurboCacheChart.dir()).upgrade().withName(release).withNamespace(namespace)
          .withKubeConfig(api.kubeconfigFile());
      return (file == null ? upgrade : upgrade.withValuesFile(file)).call();
    });
  }

  static void uninstall(String release, String namespace) {
    Helm.uninstall(release).withNamespace(namespace).withKubeConfig(api.kubeconfigFile()).ignoreNotFound().call();
  }

  /** What Helm created for every object {@code helm template} renders for the same release (null when absent). */
  static Map<HasMetadata, HasMetadata> live(TurboCacheChart.Rendered rendered) {
    Map<HasMetadata, HasMetadata> out = new LinkedHashMap<>();
    for (HasMetadata o : rendered.objects()) {
      HasMetadata found = admin.resource(o).get();
      out.put(o, found);
    }
    return out;
  }

  static void namespace(String name) {
    if (admin.namespaces().withName(name).get() == null) {
      admin.resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
    }
  }

  static Deployment operatorDeployment(String release, String namespace) {
    String name = release.contains(RELEASE) ? release : release + "-" + RELEASE;
    return admin.apps().deployments().inNamespace(namespace).withName(name).get();
  }

  /** The minimal example (tokens Secret and TurboCache) in {@code namespace}, as a user applies it. */
  static LiveTurboCache applyMinimalExample(String namespace) {
    for (TestResources.ExampleDoc doc : TestResources.examples()) {
      if (doc.file().equals("minimal.yaml")) {
        Cluster.apply(admin, Cluster.inNamespace(doc, namespace));
      }
    }
    return new LiveTurboCache(admin, namespace, TestResources.NAME);
  }

  /** Runs the installed operator Deployment's container until the TurboCache in {@code namespace} is reconciled. */
  static void operatorReconciles(Deployment d, OperatorIdentity identity, String namespace) throws Exception {
    try (OperatorPod pod = OperatorPod.start(d, identity)) {
      await("the operator's readiness probe").atMost(RECONCILED).untilAsserted(() -> {
        assertThat(pod.isAlive()).as("operator running; log:%n%s", pod.log()).isTrue();
        assertThat(pod.readiness()).isEqualTo(200);
      });
      assertThat(pod.liveness()).isEqualTo(200);
      LiveTurboCache cache = applyMinimalExample(namespace);
      await("the TurboCache reconciled").atMost(RECONCILED).untilAsserted(() -> {
        assertThat(pod.isAlive()).as("operator running; log:%n%s", pod.log()).isTrue();
        assertThat(cache.deployment()).as("the cache-server Deployment").isNotNull();
        assertThat(cache.statusCurrent()).as("status of the current generation").isTrue();
        assertThat(cache.conditionIs("Degraded", "False")).as("not degraded; log:%n%s", pod.log()).isTrue();
      });
      TurboCache cr = cache.get();
      for (HasMetadata child : ExpectedChildren.of(cr, admin.secrets().inNamespace(namespace).list().getItems())) {
        assertThat(admin.resource(child).get()).as("%s %s", child.getKind(), child.getMetadata().getName()).isNotNull();
      }

      OperatorSettings settings = OperatorSettings.fromEnv(OperatorPod.environment(d));
      Lease lease = admin.leases().inNamespace(d.getMetadata().getNamespace()).withName(settings.leaseName()).get();
      assertThat(lease).as("the Lease in the release namespace").isNotNull();
      assertThat(lease.getSpec().getHolderIdentity()).isEqualTo(pod.hostname());
      assertThat(pod.log()).doesNotContain(identity.token());
    }
  }

  static void forbidden(Runnable call, String what) {
    assertThatThrownBy(call::run).as(what).isInstanceOfSatisfying(KubernetesClientException.class,
        e -> assertThat(e.getCode()).as(what).isEqualTo(403));
  }

  @Test
  void theDocumentedInstallRunsALeastPrivilegeOperatorThatReconcilesTheMinimalExample() throws Exception {
    Release release = install(RELEASE, NAMESPACE, Map.of());
    try {
      assertThat(release.getStatus()).isEqualTo("deployed");
      assertThat(release.getAppVersion()).isEqualTo(OperatorInfo.version());
      await("the CRD from the chart's crds/").atMost(Duration.ofSeconds(30))
          .until(() -> Cluster.established(admin, HasMetadata.getFullResourceName(TurboCache.class)));
      live(TurboCacheChart.render(Map.of())).forEach((rendered, found) ->
          assertThat(found).as("%s %s installed", rendered.getKind(), rendered.getMetadata().getName()).isNotNull());
      assertThat(admin.rbac().clusterRoles().withName(RELEASE).get().getRules())
          .isEqualTo(TurboCacheChart.render(Map.of()).one(ClusterRole.class).getRules());

      Deployment d = operatorDeployment(RELEASE, NAMESPACE);
      OperatorIdentity identity = OperatorIdentity.of(api, NAMESPACE, d.getSpec().getTemplate().getSpec().getServiceAccountName());
      namespace(TestResources.NAMESPACE);
      operatorReconciles(d, identity, TestResources.NAMESPACE);

      try (KubernetesClient operator = identity.client()) {
        forbidden(() -> operator.pods().inNamespace(TestResources.NAMESPACE).resource(new PodBuilder()
            .withNewMetadata().withName("started-by-the-operator").endMetadata()
            .withNewSpec().addNewContainer().withName("c").withImage("busybox").endContainer().endSpec().build()).create(),
            "pods come from Deployments and StatefulSets only");
        forbidden(() -> operator.leases().inNamespace(NAMESPACE).withName("another-operators-lease").get(),
            "only its own Lease is readable");
        forbidden(() -> operator.rbac().roles().inNamespace(NAMESPACE).list(), "no RBAC of its own to edit");
      }
    } finally {
      uninstall(RELEASE, NAMESPACE);
    }
  }

  @Test
  void theNamespacedVariantReconcilesOnlyInTheWatchedNamespaces() throws Exception {
    Map<String, Object> values = TurboCacheChart.readValues(TurboCacheChart.variant("namespaced"));
    @SuppressWarnings("unchecked")
    List<String> watched = (List<String>) values.get("watchNamespaces");
    watched.forEach(HelmChartKubeApiIT::namespace);
    String release = "namespaced";
    String releaseNamespace = "turbocache-namespaced";
    install(release, releaseNamespace, values);
    try {
      TurboCacheChart.Rendered rendered = TurboCacheChart.render(release, releaseNamespace, values);
      live(rendered).forEach((r, found) -> assertThat(found).as("%s %s/%s installed", r.getKind(),
          r.getMetadata().getNamespace(), r.getMetadata().getName()).isNotNull());
      assertThat(rendered.clusterWideRulesOtherThanNamedCrdReads()).as("cluster-wide rules").isEmpty();

      Deployment d = operatorDeployment(release, releaseNamespace);
      OperatorIdentity identity =
          OperatorIdentity.of(api, releaseNamespace, d.getSpec().getTemplate().getSpec().getServiceAccountName());
      String last = watched.get(watched.size() - 1);
      operatorReconciles(d, identity, last);

      try (KubernetesClient operator = identity.client()) {
        assertThat(operator.apps().deployments().inNamespace(last).list().getItems()).isNotEmpty();
        forbidden(() -> operator.apps().deployments().inNamespace("default").list(), "a namespace it does not watch");
        forbidden(() -> operator.apps().deployments().inAnyNamespace().list(), "every namespace");
      }
    } finally {
      uninstall(release, releaseNamespace);
    }
  }

  @Test
  void upgradeWithChangedValuesChangesTheReleaseAndUninstallLeavesOnlyTheCrd() throws Exception {
    String release = "lifecycle";
    String namespace = "turbocache-lifecycle";
    installServiceMonitorCrd();
    install(release, namespace, Map.of());
    Deployment before = operatorDeployment(release, namespace);
    assertThat(before.getSpec().getReplicas()).isEqualTo(2);
    assertThat(admin.genericKubernetesResources("monitoring.coreos.com/v1", "ServiceMonitor").inNamespace(namespace).list()
        .getItems()).isEmpty();

    Map<String, Object> values = TurboCacheChart.merge(TurboCacheChart.readValues(TurboCacheChart.variant("monitoring")),
        Map.of("replicas", 3, "extraEnv", List.of(Map.of("name", "JAVA_TOOL_OPTIONS", "value", "-XX:MaxRAMPercentage=60"))));
    Release upgraded = upgrade(release, namespace, values);
    assertThat(upgraded.getRevision()).isEqualTo("2");
    assertThat(upgraded.getStatus()).isEqualTo("deployed");

    Deployment after = operatorDeployment(release, namespace);
    assertThat(after.getSpec().getReplicas()).isEqualTo(3);
    assertThat(OperatorPod.environment(after)).containsEntry("JAVA_TOOL_OPTIONS", "-XX:MaxRAMPercentage=60");
    assertThat(after.getMetadata().getGeneration()).isGreaterThan(before.getMetadata().getGeneration());
    List<GenericKubernetesResource> monitors = admin.genericKubernetesResources("monitoring.coreos.com/v1", "ServiceMonitor")
        .inNamespace(namespace).list().getItems();
    assertThat(monitors).singleElement()
        .satisfies(m -> assertThat(m.getMetadata().getLabels()).containsEntry("release", "kube-prometheus-stack"));

    TurboCacheChart.Rendered rendered = TurboCacheChart.render(release, namespace, values);
    uninstall(release, namespace);
    await("everything the release made is deleted").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        live(rendered).forEach((r, found) ->
            assertThat(found).as("%s %s after uninstall", r.getKind(), r.getMetadata().getName()).isNull()));
    assertThat(admin.apiextensions().v1().customResourceDefinitions().withName(HasMetadata.getFullResourceName(TurboCache.class)).get())
        .as("Helm keeps the CRDs of crds/ (and with them every TurboCache)").isNotNull();
    assertThat(Helm.list().allNamespaces().withKubeConfig(api.kubeconfigFile()).call())
        .extracting(Release::getName).doesNotContain(release);
  }

  static void installServiceMonitorCrd() throws IOException {
    try (InputStream in = HelmChartKubeApiIT.class.getResourceAsStream("/helm/servicemonitors.monitoring.coreos.com.yaml")) {
      CustomResourceDefinition crd = Cluster.apply(admin, Serialization.unmarshal(in, CustomResourceDefinition.class));
      await().atMost(Duration.ofSeconds(30)).until(() -> Cluster.established(admin, crd.getMetadata().getName()));
    }
  }
}
