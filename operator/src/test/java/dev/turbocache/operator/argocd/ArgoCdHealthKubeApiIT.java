package dev.turbocache.operator.argocd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turbocache.operator.LiveTurboCache;
import dev.turbocache.operator.OperatorSettings;
import dev.turbocache.operator.TestResources;
import dev.turbocache.operator.TurboCacheOperator;
import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.api.v1alpha1.spec.ServerSpec;
import dev.turbocache.operator.contract.UserSecrets;
import dev.turbocache.operator.kubeapi.Cluster;
import dev.turbocache.operator.kubeapi.OperatorIdentity;
import dev.turbocache.operator.kubeapi.RealApiServer;
import dev.turbocache.operator.kubeapi.RealApiServerExtension;
import dev.turbocache.operator.model.Names;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.Operator;
import java.time.Duration;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Argo CD health script judged on what the operator really writes: a TurboCache on a real API
 * server, reconciled by the operator (with the install manifest's RBAC), is walked through the
 * states Argo CD must tell apart, and at each the script, run by Lua 5.1 on the object as the API
 * returns it, says what Argo CD would show.
 */
@ExtendWith(RealApiServerExtension.class)
class ArgoCdHealthKubeApiIT {
  static final Duration RECONCILED = Duration.ofSeconds(60);
  static final String HOLD = "test.turbocache.dev/hold";

  @Test
  void theHealthFollowsTheTurboCacheThroughItsStates(RealApiServer api) throws Exception {
    Cluster.Prepared cluster = Cluster.prepare(api, "argocd-health");
    KubernetesClient admin = cluster.admin();
    OperatorIdentity identity = cluster.identity();
    String ns = cluster.namespace();
    LiveTurboCache cache = new LiveTurboCache(admin, ns, TestResources.NAME);
    try (KubernetesClient client = identity.client()) {
      Operator operator = TurboCacheOperator.create(client,
          new OperatorSettings(Set.of(ns), false, false, "unused", identity.namespace(), true, 0), null);
      operator.start();
      try {
        TurboCache cr = minimal(ns);
        for (Secret s : UserSecrets.createdByUser(cr)) {
          Cluster.apply(admin, s);
        }
        apply(admin, ns, c -> {});
        await().atMost(RECONCILED).until(cache::statusCurrent);
        assertThat(health(admin, ns).status()).as("created, no replica available").isEqualTo("Progressing");

        cache.markDeploymentAvailable();
        String endpoint = Names.endpoint(cache.get(), 80);
        awaitHealth(admin, ns, new LuaHealthCheck.Health("Healthy", "Ready: The cache is serving at " + endpoint));

        // a new generation: not Healthy until it is rolled out, whether or not the operator saw it yet
        apply(admin, ns, c -> {
          c.getSpec().server = new ServerSpec();
          c.getSpec().server.replicas = 3;
        });
        assertThat(health(admin, ns).status()).isEqualTo("Progressing");
        await().atMost(RECONCILED).until(() -> cache.statusCurrent() && cache.deployment().getSpec().getReplicas() == 3);
        assertThat(health(admin, ns).status()).isEqualTo("Progressing");
        cache.markDeploymentAvailable();
        awaitStatus(admin, ns, "Healthy");

        admin.secrets().inNamespace(ns).withName(TestResources.TOKENS).delete();
        awaitHealth(admin, ns, new LuaHealthCheck.Health("Degraded", "TokensSecretMissing: Secret '" + TestResources.TOKENS
            + "' (spec.auth.tokensSecretRef) not found in namespace '" + ns + "'"));
        for (Secret s : UserSecrets.createdByUser(cr)) {
          Cluster.apply(admin, s);
        }
        apply(admin, ns, c -> c.getSpec().paused = true);
        awaitStatus(admin, ns, "Suspended");

        admin.resources(TurboCache.class).inNamespace(ns).withName(TestResources.NAME)
            .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"finalizers\":[\"" + HOLD + "\"]}}");
        admin.resources(TurboCache.class).inNamespace(ns).withName(TestResources.NAME).delete();
        awaitHealth(admin, ns, new LuaHealthCheck.Health("Progressing", "Deleting: waiting for finalizers " + HOLD));
      } finally {
        var live = admin.resources(TurboCache.class).inNamespace(ns).withName(TestResources.NAME);
        if (live.get() != null) {
          live.patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"finalizers\":null}}");
        }
        operator.stop();
      }
    }
    await().atMost(RECONCILED).until(() -> cache.get() == null);
  }

  static TurboCache minimal(String ns) {
    TurboCache cr = TestResources.exampleTurboCaches().get("minimal.yaml/" + TestResources.NAME);
    cr.getMetadata().setNamespace(ns);
    return cr;
  }

  /** The minimal example in {@code ns}, edited, applied as a user would. */
  static TurboCache apply(KubernetesClient admin, String ns, Consumer<TurboCache> edit) {
    TurboCache cr = minimal(ns);
    edit.accept(cr);
    return Cluster.apply(admin, cr);
  }

  /** The script's verdict on the TurboCache exactly as the API server returns it. */
  static LuaHealthCheck.Health health(KubernetesClient admin, String ns) {
    GenericKubernetesResource live = admin.genericKubernetesResources(HasMetadata.getApiVersion(TurboCache.class),
        HasMetadata.getKind(TurboCache.class)).inNamespace(ns).withName(TestResources.NAME).get();
    JsonNode obj = Serialization.jsonMapper().valueToTree(live);
    return LuaHealthCheck.of(obj);
  }

  static void awaitStatus(KubernetesClient admin, String ns, String status) {
    await("Argo CD health " + status).atMost(RECONCILED).until(() -> health(admin, ns).status().equals(status));
  }

  static void awaitHealth(KubernetesClient admin, String ns, LuaHealthCheck.Health expected) {
    await("Argo CD health " + expected).atMost(RECONCILED).until(() -> health(admin, ns).equals(expected));
  }
}
