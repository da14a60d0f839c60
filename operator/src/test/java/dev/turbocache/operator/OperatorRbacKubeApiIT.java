package dev.turbocache.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.contract.UserSecrets;
import dev.turbocache.operator.kubeapi.Cluster;
import dev.turbocache.operator.kubeapi.OperatorIdentity;
import dev.turbocache.operator.kubeapi.RealApiServer;
import dev.turbocache.operator.kubeapi.RealApiServerExtension;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.Operator;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * RBAC proven, not compared: the operator runs with a ServiceAccount bound to the install
 * manifest's ClusterRole minus one verb, and the failure it meets surfaces as a Degraded condition
 * that names the missing permission; granting it back heals the TurboCache.
 */
@ExtendWith(RealApiServerExtension.class)
class OperatorRbacKubeApiIT {
  static final Duration RECONCILED = Duration.ofSeconds(90);

  @Test
  void aMissingVerbIsADegradedConditionNamingThePermissionAndGrantingItHeals(RealApiServer api) throws Exception {
    KubernetesClient admin = api.admin();
    Cluster.installCrds(admin);
    OperatorIdentity limited =
        OperatorIdentity.install(api, "-no-pdb-patch", OperatorIdentity.without("patch", "poddisruptionbudgets"));
    String ns = Cluster.createNamespace(admin, "rbac");
    TurboCache cr = TestResources.exampleTurboCaches().get("minimal.yaml/" + TestResources.NAME);
    cr.getMetadata().setNamespace(ns);
    for (Secret s : UserSecrets.createdByUser(cr)) {
      Cluster.apply(admin, s);
    }
    Cluster.apply(admin, cr);

    try (KubernetesClient client = limited.client()) {
      Operator operator = TurboCacheOperator.create(client,
          new OperatorSettings(Set.of(ns), false, false, "unused", limited.namespace(), true, 0), null);
      operator.start();
      try {
        await().atMost(RECONCILED).until(() -> degraded(admin, ns).map(c -> c.getStatus().equals("True")).orElse(false));
        Condition degraded = degraded(admin, ns).orElseThrow();
        assertThat(degraded.getReason()).isEqualTo("PermissionDenied");
        assertThat(degraded.getMessage())
            .contains("cannot patch resource \"poddisruptionbudgets\" in API group \"policy\"")
            .contains(limited.username())
            .contains("ClusterRole");
        assertThat(admin.apps().deployments().inNamespace(ns).withName(TestResources.NAME).get())
            .as("the children it may write are still written").isNotNull();

        OperatorIdentity.install(api, "-no-pdb-patch", rules -> rules);
        // a new event after the retries ran out: the tokens Secret changes
        admin.secrets().inNamespace(ns).withName(TestResources.TOKENS)
            .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"labels\":{\"rbac\":\"fixed\"}}}");
        await().atMost(RECONCILED).until(() ->
            admin.resources(PodDisruptionBudget.class).inNamespace(ns).withName(TestResources.NAME).get() != null
                && degraded(admin, ns).map(c -> c.getStatus().equals("False")).orElse(false));
      } finally {
        operator.stop();
      }
    }
  }

  static Optional<Condition> degraded(KubernetesClient admin, String ns) {
    TurboCache cr = admin.resources(TurboCache.class).inNamespace(ns).withName(TestResources.NAME).get();
    return cr == null || cr.getStatus() == null ? Optional.empty()
        : cr.getStatus().conditions.stream().filter(c -> c.getType().equals("Degraded")).findFirst();
  }
}
