package dev.turbocache.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.api.v1alpha1.spec.AutoscalingSpec;
import dev.turbocache.operator.api.v1alpha1.spec.ServerSpec;
import dev.turbocache.operator.api.v1alpha1.spec.ServiceSpec;
import dev.turbocache.operator.bucket.BucketClients;
import dev.turbocache.operator.bucket.ManagedBuckets;
import dev.turbocache.operator.bucket.RgwBuckets;
import dev.turbocache.operator.controller.TurboCacheReconciler;
import dev.turbocache.operator.crd.CrdObservation;
import dev.turbocache.operator.crd.InstalledCrd;
import dev.turbocache.operator.kubeapi.Cluster;
import dev.turbocache.operator.kubeapi.ControllerManager;
import dev.turbocache.operator.kubeapi.ExpectedChildren;
import dev.turbocache.operator.kubeapi.JsonSubset;
import dev.turbocache.operator.kubeapi.OperatorIdentity;
import dev.turbocache.operator.kubeapi.RealApiServer;
import dev.turbocache.operator.kubeapi.RealApiServerExtension;
import dev.turbocache.operator.kubeapi.ReconcileCounter;
import dev.turbocache.operator.model.Names;
import dev.turbocache.operator.model.ResolvedSpec;
import dev.turbocache.operator.server.ServerConfig;
import dev.turbocache.operator.server.ServerMetricsService;
import dev.turbocache.operator.server.ServerService;
import dev.turbocache.operator.status.TurboCacheStatusAggregator;
import dev.turbocache.server.testing.RgwExtension;
import dev.turbocache.server.testing.RgwFixture;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.Operator;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The operator in its production configuration (server-side apply for children and status) against
 * a real Kubernetes 1.26 API server, authorised only by the RBAC of examples/install/operator.yaml
 * (it runs with a token of that ServiceAccount). The garbage collector of kube-controller-manager
 * runs beside it; nothing runs Pods, so the test plays the Deployment controller by writing the
 * Deployment's status through the API, as that controller would. Managed buckets of the examples
 * (written for AWS) are created on Ceph RGW instead, whose region is theirs.
 */
@ExtendWith({RealApiServerExtension.class, RgwExtension.class})
class TurboCacheOperatorKubeApiIT {
  static final Duration RECONCILED = Duration.ofSeconds(60);
  static KubernetesClient admin;
  static OperatorIdentity identity;
  static ControllerManager controllerManager;
  static BucketClients buckets;

  String ns;
  KubernetesClient operatorClient;
  Operator operator;
  ReconcileCounter reconciles;
  final AtomicInteger nudges = new AtomicInteger();

  @BeforeAll
  static void cluster(RealApiServer api, RgwFixture rgw) {
    admin = api.admin();
    buckets = RgwBuckets.redirectedTo(rgw, rgw.createUser("examples-" + ProcessHandle.current().pid()));
    Cluster.installCrds(admin);
    identity = OperatorIdentity.install(api);
    controllerManager = ControllerManager.start(api, "garbagecollector");
  }

  @AfterAll
  static void stopControllerManager() throws Exception {
    controllerManager.close();
  }

  @BeforeEach
  void startOperator() {
    ns = Cluster.createNamespace(admin, "op");
    operatorClient = identity.client();
    reconciles = new ReconcileCounter();
    OperatorSettings settings = new OperatorSettings(Set.of(ns), false, false, "unused", identity.namespace(), true, 0);
    operator = TurboCacheOperator.create(operatorClient, settings, reconciles,
        TurboCacheOperator.Externals.of(operatorClient, settings, null)
            .withBuckets(new ManagedBuckets(buckets, OperatorSettings.DEFAULT_BUCKET_RESYNC)));
    operator.start();
  }

  @AfterEach
  void stopOperator() {
    operator.stop();
    operatorClient.close();
  }

  static Stream<String> examples() {
    return TestResources.exampleTurboCaches().keySet().stream();
  }

  /** An example TurboCache moved into this test's namespace, with the Secrets a user creates for it. */
  TurboCache create(TurboCache cr) {
    return Cluster.applyWithSecrets(admin, cr, ns);
  }

  TurboCache minimal() {
    return TestResources.exampleTurboCaches().get("minimal.yaml/" + TestResources.NAME);
  }

  /** {@code kubectl apply} of the minimal example with an edited spec (the file as the user edits it). */
  TurboCache reapply(Consumer<TurboCache> edit) {
    TurboCache cr = minimal();
    cr.getMetadata().setNamespace(ns);
    edit.accept(cr);
    return Cluster.apply(admin, cr);
  }

  TurboCache live() {
    return cache().get();
  }

  LiveTurboCache cache() {
    return new LiveTurboCache(admin, ns, TestResources.NAME);
  }

  Deployment deployment() {
    return cache().deployment();
  }

  Optional<Condition> condition(String type) {
    return cache().condition(type);
  }

  boolean conditionIs(String type, String status) {
    return cache().conditionIs(type, status);
  }

  boolean statusCurrent() {
    return cache().statusCurrent();
  }

  /**
   * Makes the operator reconcile once more and waits until it has: a label on the tokens Secret is
   * an event of a watched input that changes nothing the operator renders.
   */
  void nudge() {
    int before = reconciles.finished();
    admin.secrets().inNamespace(ns).withName(TestResources.TOKENS).patch(PatchContext.of(PatchType.JSON_MERGE),
        "{\"metadata\":{\"labels\":{\"nudge\":\"n" + nudges.incrementAndGet() + "\"}}}");
    await().atMost(RECONCILED).until(() -> reconciles.finished() > before);
  }

  /** Waits until nudged reconciliations change neither the CR (status) nor the Deployment. */
  void settle() {
    await("reconciliations stop changing the TurboCache and its Deployment").atMost(RECONCILED).until(() -> {
      String cr = live().getMetadata().getResourceVersion();
      String d = deployment().getMetadata().getResourceVersion();
      nudge();
      return cr.equals(live().getMetadata().getResourceVersion()) && d.equals(deployment().getMetadata().getResourceVersion());
    });
  }

  @ParameterizedTest
  @MethodSource("examples")
  void reconcilesEachExampleIntoOwnedChildrenWithTheRenderedSpecAndATruthfulStatus(String example) {
    TurboCache created = create(TestResources.exampleTurboCaches().get(example));
    // rendered from the CR as the API server stored it (schema defaults applied)
    await().atMost(RECONCILED).untilAsserted(() -> {
      TurboCache cr = live();
      for (HasMetadata expected : ExpectedChildren.of(cr, admin.secrets().inNamespace(ns).list().getItems())) {
        HasMetadata actual = admin.resource(expected).get();
        assertThat(actual).as("%s %s", expected.getKind(), expected.getMetadata().getName()).isNotNull();
        assertThat(actual.getMetadata().getOwnerReferences()).singleElement().satisfies((OwnerReference o) -> {
          assertThat(o.getKind()).isEqualTo("TurboCache");
          assertThat(o.getName()).isEqualTo(cr.getMetadata().getName());
          assertThat(o.getUid()).isEqualTo(created.getMetadata().getUid());
        });
        assertThat(actual.getMetadata().getLabels()).containsAllEntriesOf(expected.getMetadata().getLabels())
            .as("never the TurboCache's own labels").doesNotContainKeys("team", "argocd.argoproj.io/instance");
        assertThat(JsonSubset.differences(expected, actual)).as("%s %s", expected.getKind(), expected.getMetadata().getName())
            .isEmpty();
      }
    });
    for (ExpectedChildren.Absent absent : ExpectedChildren.absent(live())) {
      assertThat(admin.resources(absent.type()).inNamespace(ns).withName(absent.name()).get())
          .as("%s %s", absent.type().getSimpleName(), absent.name()).isNull();
    }

    await().atMost(RECONCILED).until(() -> statusCurrent() && conditionIs("Progressing", "True"));
    assertThat(conditionIs("Ready", "False")).isTrue();
    assertThat(condition("ServerReady").orElseThrow().getReason()).isIn("RollingOut", "ReplicasUnavailable");
    assertThat(live().getStatus().endpoint).isEqualTo(Names.endpoint(live(), live().getSpec().server == null
        || live().getSpec().server.service == null ? 80 : live().getSpec().server.service.port));

    cache().markDeploymentAvailable();
    await().atMost(RECONCILED).until(() -> conditionIs("ServerReady", "True"));
    assertThat(live().getStatus().server.availableReplicas).isEqualTo(deployment().getStatus().getAvailableReplicas());
    if (ResolvedSpec.of(live()).redis().managed() != null) {
      // nothing runs the Redis pods here: the operator must not call the cache Ready
      await().atMost(RECONCILED).until(() -> condition("Ready").map(c -> c.getReason().equals("RedisNotReady")).orElse(false));
      assertThat(conditionIs("Ready", "False")).isTrue();
      assertThat(condition("RedisReady").orElseThrow().getReason()).isEqualTo("WaitingForPods");
      assertThat(conditionIs("Progressing", "True")).isTrue();
    } else {
      await().atMost(RECONCILED).until(() -> conditionIs("Ready", "True"));
      assertThat(conditionIs("Progressing", "False")).isTrue();
    }
    assertThat(conditionIs("Degraded", "False")).isTrue();
  }

  @Test
  void aSpecChangeReachesTheChildrenByServerSideApply() {
    TurboCache cr = create(minimal());
    await().atMost(RECONCILED).until(() -> deployment() != null && statusCurrent());
    String checksum = LiveTurboCache.checksum(deployment());

    reapply(c -> {
      c.getSpec().server = new ServerSpec();
      c.getSpec().server.replicas = 3;
      c.getSpec().server.maxArtifactSize = "1Gi";
    });

    await().atMost(RECONCILED).untilAsserted(() -> {
      Deployment d = deployment();
      assertThat(d.getSpec().getReplicas()).isEqualTo(3);
      assertThat(LiveTurboCache.checksum(d)).isNotEqualTo(checksum);
      assertThat(admin.configMaps().inNamespace(ns).withName(Names.serverConfig(cr)).get().getData().get("config.yaml"))
          .contains("maxArtifactSize: 1Gi");
    });
    List<ManagedFieldsEntry> managers = deployment().getMetadata().getManagedFields();
    assertThat(managers).as("field managers of the Deployment").anySatisfy(m -> {
      assertThat(m.getManager()).isEqualTo(TurboCacheReconciler.NAME);
      assertThat(m.getOperation()).isEqualTo("Apply");
    });
    assertThat(managers).as("only server-side apply writes the Deployment's spec")
        .noneMatch(m -> m.getManager().equals(TurboCacheReconciler.NAME) && !m.getOperation().equals("Apply")
            && m.getSubresource() == null);
  }

  @Test
  void aRevokedTokenIdReachesTheServersFileWithoutARoll() {
    TurboCache withIssuer = minimal();
    withIssuer.getSpec().auth.jwt = TestResources.githubActionsJwt();
    TurboCache cr = create(withIssuer);
    await().atMost(RECONCILED).until(() -> deployment() != null && statusCurrent());
    String checksum = LiveTurboCache.checksum(deployment());

    reapply(c -> {
      c.getSpec().auth.jwt = TestResources.githubActionsJwt();
      c.getSpec().auth.jwt.revokedTokenIds = List.of("leaked-job-1");
    });

    await().atMost(RECONCILED).untilAsserted(() -> {
      assertThat(admin.configMaps().inNamespace(ns).withName(Names.serverConfig(cr)).get().getData()
          .get(ServerConfig.REVOKED_IDS_FILE_NAME)).contains("\nleaked-job-1\n");
      assertThat(statusCurrent()).as("the reconciliation that wrote it has ended").isTrue();
    });
    assertThat(LiveTurboCache.checksum(deployment())).as("the pods keep running").isEqualTo(checksum);
  }

  /**
   * After {@code helm upgrade} the CRD is the old one (Helm never upgrades CRDs): the API server
   * drops the new fields from what Helm or client-side apply writes, and the TurboCache's Warnings
   * say which and how to fix it, until the current CRD is applied.
   */
  @Test
  void anOutdatedCrdIsAWarningThatNamesTheFieldsItDropsUntilTheCurrentOneIsApplied() {
    CustomResourceDefinition old = Cluster.committedCrd(InstalledCrd.NAME);
    JSONSchemaProps spec = old.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema().getProperties().get("spec");
    JSONSchemaProps jwt = spec.getProperties().get("auth").getProperties().get("jwt");
    jwt.getProperties().remove("revokedTokenIds");
    jwt.getXKubernetesValidations().removeIf(rule -> rule.getRule().contains("revokedTokenIds"));
    spec.getProperties().get("server").getProperties().remove("firstRequestTimeout");
    Consumer<TurboCache> revoke = c -> {
      c.getSpec().auth.jwt = TestResources.githubActionsJwt();
      c.getSpec().auth.jwt.revokedTokenIds = List.of("leaked-job-1");
    };
    try {
      admin.resource(old).fieldManager(Cluster.TEST_MANAGER).forceConflicts().serverSideApply();
      TurboCache withIssuer = minimal();
      withIssuer.getSpec().auth.jwt = TestResources.githubActionsJwt();
      create(withIssuer);
      // as Helm and client-side apply write it: without strict field validation, which server-side
      // apply has (it refuses the field instead)
      admin.resources(TurboCache.class).inNamespace(ns).withName(TestResources.NAME).patch(
          PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"auth\":{\"jwt\":{\"revokedTokenIds\":[\"leaked-job-1\"]}}}}");
      assertThat(live().getSpec().auth.jwt.revokedTokenIds).as("dropped by the API server").isNull();
      // the patch changed nothing, so no event came: the next reconciliation after the last
      // answer's TTL looks at the CRD again, as the first one of a newly started operator does
      await().atMost(RECONCILED).untilAsserted(() -> {
        nudge();
        assertThat(condition(TurboCacheStatusAggregator.WARNINGS)).hasValueSatisfying(warnings -> {
            assertThat(warnings.getStatus()).isEqualTo("True");
            assertThat(warnings.getReason()).isEqualTo(CrdObservation.OUTDATED);
            assertThat(warnings.getMessage()).contains("spec.auth.jwt.revokedTokenIds",
                "spec.server.firstRequestTimeout", "kubectl apply --server-side -f crds/");
        });
      });
    } finally {
      Cluster.installCrds(admin);
    }
    // established is not yet serving: the API server takes a moment to use the new schema
    await("the current CRD keeps the field").atMost(RECONCILED).until(() ->
        reapply(revoke).getSpec().auth.jwt.revokedTokenIds != null);
    // the operator's watch may still deliver the object as the old schema read it (pruned) until
    // the API server has replaced the CRD's storage: a later reconciliation renders the field
    await().atMost(RECONCILED).untilAsserted(() -> {
      nudge();
      assertThat(conditionIs(TurboCacheStatusAggregator.WARNINGS, "False")).as("%s", condition(TurboCacheStatusAggregator.WARNINGS)).isTrue();
      assertThat(admin.configMaps().inNamespace(ns).withName(Names.serverConfig(live())).get().getData()
          .get(ServerConfig.REVOKED_IDS_FILE_NAME)).contains("\nleaked-job-1\n");
    });
  }

  @Test
  void fieldsOwnedByOthersDoNotMakeTheOperatorFlapAndAnUnchangedStatusIsNotPatched() {
    create(withAutoscaling(minimal()));
    await().atMost(RECONCILED).until(() -> deployment() != null && statusCurrent()
        && admin.autoscaling().v2().horizontalPodAutoscalers().inNamespace(ns).withName(TestResources.NAME).get() != null);

    // the HPA controller scales through the scale subresource; a user labels the Deployment
    admin.apps().deployments().inNamespace(ns).withName(TestResources.NAME).scale(4);
    admin.apps().deployments().inNamespace(ns).withName(TestResources.NAME)
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"labels\":{\"cost-center\":\"builds\"}}}");
    settle();

    String deploymentVersion = deployment().getMetadata().getResourceVersion();
    String crVersion = live().getMetadata().getResourceVersion();
    for (int i = 0; i < 4; i++) {
      nudge();
    }
    assertThat(deployment().getMetadata().getResourceVersion()).as("Deployment unchanged over 4 reconciliations")
        .isEqualTo(deploymentVersion);
    assertThat(live().getMetadata().getResourceVersion()).as("no status patch when nothing changed").isEqualTo(crVersion);
    assertThat(deployment().getSpec().getReplicas()).isEqualTo(4);
    assertThat(deployment().getMetadata().getLabels()).containsEntry("cost-center", "builds");
  }

  @Test
  void aPausedTurboCacheKeepsItsChildrenUntilResumed() {
    create(minimal());
    await().atMost(RECONCILED).until(() -> deployment() != null && statusCurrent());
    int replicas = deployment().getSpec().getReplicas();

    Consumer<TurboCache> moreReplicas = c -> {
      c.getSpec().server = new ServerSpec();
      c.getSpec().server.replicas = replicas + 2;
    };
    reapply(moreReplicas.andThen(c -> c.getSpec().paused = true));
    await().atMost(RECONCILED).until(() -> statusCurrent() && conditionIs("Paused", "True"));
    nudge();
    assertThat(deployment().getSpec().getReplicas()).as("paused: not applied").isEqualTo(replicas);
    assertThat(condition("Progressing").orElseThrow().getReason()).isEqualTo("Paused");

    reapply(moreReplicas.andThen(c -> c.getSpec().paused = false));
    await().atMost(RECONCILED).until(() -> deployment().getSpec().getReplicas() == replicas + 2);
    await().atMost(RECONCILED).until(() -> statusCurrent() && conditionIs("Paused", "False"));
  }

  @Test
  void deletingTheTurboCacheRemovesEveryChild() {
    TurboCache cr = create(minimal());
    await().atMost(RECONCILED).until(() -> deployment() != null && statusCurrent());
    List<HasMetadata> children = ExpectedChildren.of(live(), List.of());
    assertThat(children).hasSizeGreaterThanOrEqualTo(5);

    admin.resource(cr).delete();
    await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
      assertThat(controllerManager.isAlive()).as("kube-controller-manager is running").isTrue();
      for (HasMetadata child : children) {
        assertThat(admin.resource(child).get()).as("%s %s garbage-collected", child.getKind(), child.getMetadata().getName())
            .isNull();
      }
    });
    assertThat(live()).isNull();
    assertThat(admin.secrets().inNamespace(ns).withName(TestResources.TOKENS).get()).as("the user's Secret stays").isNotNull();
  }

  /**
   * /metrics names the teams: a LoadBalancer Service (which the API server gives node ports) has the
   * clients' port only, also where an operator of the previous version had applied the metrics port
   * to it; the management port has its own ClusterIP Service.
   */
  @Test
  void aLoadBalancerCacheExposesNoMetricsPortAndAnOldMetricsPortIsRemoved() {
    TurboCache cr = minimal();
    cr.getSpec().server = new ServerSpec();
    cr.getSpec().server.service = new ServiceSpec();
    cr.getSpec().server.service.type = ServiceSpec.Type.LoadBalancer;
    create(cr);
    await().atMost(RECONCILED).until(() -> service(Names.serverMetrics(cr)) != null && service(Names.server(cr)) != null);
    assertThat(service(Names.serverMetrics(cr)).getSpec()).satisfies(spec -> {
      assertThat(spec.getType()).isEqualTo("ClusterIP");
      assertThat(spec.getPorts()).extracting(ServicePort::getName).containsExactly(ServerMetricsService.METRICS_PORT_NAME);
    });
    assertNoMetricsPortOutsideTheCluster();

    // what an operator of the previous version applied: the metrics port on the clients' Service
    Service clients = service(Names.server(cr));
    Service previous = new ServiceBuilder(ServerService.desired(live()))
        .editMetadata().withOwnerReferences(clients.getMetadata().getOwnerReferences()).endMetadata()
        .editSpec().addNewPort().withName(ServerMetricsService.METRICS_PORT_NAME).withProtocol("TCP").withPort(9090)
        .withTargetPort(new IntOrString(ServerMetricsService.METRICS_PORT_NAME)).endPort().endSpec()
        .build();
    Service applied = admin.resource(previous).patch(new PatchContext.Builder().withPatchType(PatchType.SERVER_SIDE_APPLY)
        .withFieldManager(TurboCacheReconciler.NAME).withForce(true).build());
    assertThat(applied.getSpec().getPorts()).extracting(ServicePort::getName)
        .containsExactly(ServerService.HTTP_PORT_NAME, ServerMetricsService.METRICS_PORT_NAME);
    nudge();
    await().atMost(RECONCILED).untilAsserted(this::assertNoMetricsPortOutsideTheCluster);
    assertThat(service(Names.server(cr)).getSpec().getPorts()).extracting(ServicePort::getName)
        .containsExactly(ServerService.HTTP_PORT_NAME);
  }

  Service service(String name) {
    return admin.services().inNamespace(ns).withName(name).get();
  }

  void assertNoMetricsPortOutsideTheCluster() {
    List<Service> outside = admin.services().inNamespace(ns).list().getItems().stream()
        .filter(s -> !"ClusterIP".equals(s.getSpec().getType())).toList();
    assertThat(outside).as("Services reachable from outside the cluster").isNotEmpty().allSatisfy(s ->
        assertThat(s.getSpec().getPorts()).as("ports of %s", s.getMetadata().getName())
            .noneMatch(p -> ServerMetricsService.METRICS_PORT_NAME.equals(p.getName())
                || ServerMetricsService.METRICS_PORT_NAME.equals(p.getTargetPort().getStrVal())
                || Integer.valueOf(ServerMetricsService.METRICS_PORT).equals(p.getTargetPort().getIntVal())));
  }

  static TurboCache withAutoscaling(TurboCache cr) {
    cr.getSpec().server = new ServerSpec();
    cr.getSpec().server.autoscaling = new AutoscalingSpec();
    cr.getSpec().server.autoscaling.minReplicas = 2;
    cr.getSpec().server.autoscaling.maxReplicas = 6;
    return cr;
  }

}
