package dev.turbocache.operator.controller;

import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.api.v1alpha1.TurboCacheStatus;
import dev.turbocache.operator.bucket.BucketObservation;
import dev.turbocache.operator.crd.InstalledCrd;
import dev.turbocache.operator.bucket.IamPolicyConfigMap;
import dev.turbocache.operator.bucket.ManagedBuckets;
import dev.turbocache.operator.model.Labels;
import dev.turbocache.operator.model.Names;
import dev.turbocache.operator.model.ResolvedSpec;
import dev.turbocache.operator.monitoring.DashboardConfigMap;
import dev.turbocache.operator.monitoring.MonitoringCrds;
import dev.turbocache.operator.monitoring.MonitoringObservation;
import dev.turbocache.operator.monitoring.ServerPrometheusRule;
import dev.turbocache.operator.monitoring.ServerServiceMonitor;
import dev.turbocache.operator.redis.RedisAuthSecret;
import dev.turbocache.operator.redis.RedisConditions;
import dev.turbocache.operator.redis.RedisConfigMap;
import dev.turbocache.operator.redis.RedisMetrics;
import dev.turbocache.operator.redis.RedisObservation;
import dev.turbocache.operator.redis.RedisServices;
import dev.turbocache.operator.redis.RedisStatefulSet;
import dev.turbocache.operator.redis.RedisTopologyCheck;
import dev.turbocache.operator.redis.SentinelStatefulSet;
import dev.turbocache.operator.redis.TopologyVerdict;
import dev.turbocache.operator.server.ServerAutoscaler;
import dev.turbocache.operator.server.ServerConfigMap;
import dev.turbocache.operator.server.ServerDeployment;
import dev.turbocache.operator.server.ServerDisruptionBudget;
import dev.turbocache.operator.server.ServerIngress;
import dev.turbocache.operator.server.ServerMetricsService;
import dev.turbocache.operator.server.ServerNetworkPolicy;
import dev.turbocache.operator.server.ServerObservation;
import dev.turbocache.operator.server.ServerSecrets;
import dev.turbocache.operator.server.ServerService;
import dev.turbocache.operator.server.ServerServiceAccount;
import dev.turbocache.operator.status.ComponentObservation;
import dev.turbocache.operator.status.ReconcileFailure;
import dev.turbocache.operator.status.TurboCacheStatusAggregator;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.PrimaryToSecondaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles a TurboCache: runs the managed workflow of its children (unless {@code spec.paused}),
 * then the topology check of an operator-managed Redis and the bucket step of a Managed s3 tier
 * ({@link ManagedBuckets}), each rescheduling the next look, then derives the status from what it
 * observed. Deletion goes through {@link #cleanup}: JOSDK puts its finalizer on every TurboCache,
 * and cleanup is immediate unless a Managed bucket with deletionPolicy Delete must be emptied first.
 * Every referenced Secret (tokens, Redis password, S3 keys) is watched so that a missing one turns
 * into a Degraded condition, the CR recovers by itself once it appears, and a change of its data
 * rolls the pods (checksum).
 */
@ControllerConfiguration(name = TurboCacheReconciler.NAME)
@Workflow(
    explicitInvocation = true,
    dependents = {
      @Dependent(name = "service-account", type = ServerServiceAccount.class),
      @Dependent(name = "config", type = ServerConfigMap.class),
      @Dependent(name = "deployment", type = ServerDeployment.class, dependsOn = {"config", "service-account"}),
      @Dependent(name = "service", type = ServerService.class),
      @Dependent(name = "metrics-service", type = ServerMetricsService.class),
      @Dependent(
          name = "ingress",
          type = ServerIngress.class,
          dependsOn = "service",
          reconcilePrecondition = ServerIngress.Enabled.class),
      @Dependent(
          name = "autoscaler",
          type = ServerAutoscaler.class,
          dependsOn = "deployment",
          reconcilePrecondition = ServerAutoscaler.Enabled.class),
      @Dependent(
          name = "disruption-budget",
          type = ServerDisruptionBudget.class,
          reconcilePrecondition = ServerDisruptionBudget.Enabled.class),
      @Dependent(
          name = "network-policy",
          type = ServerNetworkPolicy.class,
          reconcilePrecondition = ServerNetworkPolicy.Enabled.class),
      @Dependent(
          name = "iam-policy",
          type = IamPolicyConfigMap.class,
          reconcilePrecondition = IamPolicyConfigMap.Enabled.class),
      @Dependent(
          name = RedisAuthSecret.DEPENDENT,
          type = RedisAuthSecret.class,
          reconcilePrecondition = RedisConditions.Managed.class),
      @Dependent(name = "redis-config", type = RedisConfigMap.class, reconcilePrecondition = RedisConditions.Managed.class),
      @Dependent(
          name = "redis-headless",
          type = RedisServices.RedisHeadless.class,
          reconcilePrecondition = RedisConditions.Managed.class),
      @Dependent(
          name = "redis-service",
          type = RedisServices.RedisClient.class,
          reconcilePrecondition = RedisConditions.StandaloneMode.class),
      @Dependent(
          name = "redis",
          type = RedisStatefulSet.class,
          dependsOn = {RedisAuthSecret.DEPENDENT, "redis-config", "redis-headless"},
          reconcilePrecondition = RedisConditions.Managed.class),
      @Dependent(
          name = "redis-budget",
          type = RedisServices.RedisBudget.class,
          reconcilePrecondition = RedisConditions.SentinelMode.class),
      @Dependent(
          name = "sentinel-headless",
          type = RedisServices.SentinelHeadless.class,
          reconcilePrecondition = RedisConditions.SentinelMode.class),
      @Dependent(
          name = "sentinel-service",
          type = RedisServices.SentinelClient.class,
          reconcilePrecondition = RedisConditions.SentinelMode.class),
      @Dependent(
          name = "sentinel",
          type = SentinelStatefulSet.class,
          dependsOn = {RedisAuthSecret.DEPENDENT, "redis-config", "sentinel-headless"},
          reconcilePrecondition = RedisConditions.SentinelMode.class),
      @Dependent(
          name = "sentinel-budget",
          type = RedisServices.SentinelBudget.class,
          reconcilePrecondition = RedisConditions.SentinelMode.class),
      @Dependent(
          name = "service-monitor",
          type = ServerServiceMonitor.class,
          dependsOn = "metrics-service",
          reconcilePrecondition = ServerServiceMonitor.Enabled.class,
          activationCondition = MonitoringCrds.ServiceMonitorInstalled.class),
      @Dependent(
          name = "prometheus-rule",
          type = ServerPrometheusRule.class,
          reconcilePrecondition = ServerPrometheusRule.Enabled.class,
          activationCondition = MonitoringCrds.PrometheusRuleInstalled.class),
      @Dependent(name = "dashboard", type = DashboardConfigMap.class, reconcilePrecondition = DashboardConfigMap.Enabled.class)
    })
public class TurboCacheReconciler implements Reconciler<TurboCache>, Cleaner<TurboCache> {
  public static final String NAME = "turbocache";
  static final String SECRETS_INDEX = "turbocache-referenced-secrets";
  static final String SECRETS_EVENT_SOURCE = "referenced-secrets";
  static final String REDIS_PODS_EVENT_SOURCE = "redis-pods";
  /** How often a managed Redis is checked when all is well, and while it is not. */
  static final Duration REDIS_CHECK_INTERVAL = Duration.ofSeconds(30);
  static final Duration REDIS_RECHECK_INTERVAL = Duration.ofSeconds(3);
  private static final Logger LOG = LoggerFactory.getLogger(TurboCacheReconciler.class);

  private final boolean serverSideApply;
  private final TurboCacheStatusAggregator aggregator;
  private final RedisTopologyCheck redisCheck;
  private final RedisMetrics redisMetrics;
  private final ManagedBuckets buckets;
  /** The last verdict per TurboCache, for a status written after a failed reconciliation. */
  private final Map<ResourceID, TopologyVerdict> lastVerdicts = new ConcurrentHashMap<>();

  /**
   * @param serverSideApply false against servers without SSA (the Fabric8 mock server): the status is
   *     then patched from a modified copy of the resource instead of a fresh apply object
   */
  public TurboCacheReconciler(boolean serverSideApply, Clock clock, RedisTopologyCheck redisCheck, RedisMetrics redisMetrics,
      ManagedBuckets buckets) {
    this.serverSideApply = serverSideApply;
    this.aggregator = new TurboCacheStatusAggregator(clock);
    this.redisCheck = redisCheck;
    this.redisMetrics = redisMetrics;
    this.buckets = buckets;
  }

  @Override
  public UpdateControl<TurboCache> reconcile(TurboCache cr, Context<TurboCache> context) {
    ResolvedSpec spec = ResolvedSpec.of(cr);
    if (!spec.paused()) {
      // errors propagate to updateErrorStatus (and retry)
      context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();
    }
    TopologyVerdict verdict = checkRedis(cr, context, !spec.paused());
    BucketObservation bucket = buckets.reconcile(cr);
    List<ComponentObservation> observed = observe(cr, context, verdict, bucket);
    TurboCacheStatus status = aggregator.aggregate(cr, observed, null);
    UpdateControl<TurboCache> control =
        unchanged(cr, status) ? UpdateControl.noUpdate() : UpdateControl.patchStatus(withStatus(cr, status));
    Optional<Duration> next = Stream.of(redisRecheck(spec, verdict), buckets.nextCheck(cr, bucket), recheck(observed))
        .flatMap(Optional::stream)
        .min(Comparator.naturalOrder());
    return next.map(control::rescheduleAfter).orElse(control);
  }

  /** Nor is a CRD being installed or upgraded: ask again while one is missing or outdated. */
  private static Optional<Duration> recheck(List<ComponentObservation> observed) {
    return observed.stream().flatMap(o -> o.recheckAfter().stream()).min(Comparator.naturalOrder());
  }

  /** Redis changes (a failover, a pod that restarted) are not Kubernetes events: look again soon. */
  private static Optional<Duration> redisRecheck(ResolvedSpec spec, TopologyVerdict verdict) {
    if (spec.redis().managed() == null) {
      return Optional.empty();
    }
    boolean settled = verdict != null && verdict.ready() && verdict.actions().isEmpty();
    return Optional.of(settled ? REDIS_CHECK_INTERVAL : REDIS_RECHECK_INTERVAL);
  }

  /**
   * Deleting a TurboCache: done at once (children go with their owner) unless its Managed bucket
   * must be emptied (deletionPolicy Delete); then one bounded step per call, its progress in the
   * status, and the finalizer stays until the bucket is done or while a step fails.
   */
  @Override
  public DeleteControl cleanup(TurboCache cr, Context<TurboCache> context) {
    ManagedBuckets.Cleanup step = buckets.cleanup(cr);
    if (step.done()) {
      lastVerdicts.remove(ResourceID.fromResource(cr));
      return DeleteControl.defaultDelete();
    }
    TopologyVerdict verdict = lastVerdicts.get(ResourceID.fromResource(cr));
    TurboCacheStatus status = aggregator.aggregate(cr, observe(cr, context, verdict, step.observation()), null);
    if (!unchanged(cr, status)) {
      patchStatus(context.getClient(), withStatus(cr, status));
    }
    return DeleteControl.noFinalizerRemoval().rescheduleAfter(step.retryAfter());
  }

  @Override
  public ErrorStatusUpdateControl<TurboCache> updateErrorStatus(TurboCache cr, Context<TurboCache> context, Exception e) {
    ReconcileFailure failure = ReconcileFailure.of(e);
    LOG.warn("Reconciling TurboCache {}/{} failed ({}): {}", cr.getMetadata().getNamespace(), cr.getMetadata().getName(),
        failure.reason(), failure.message(), e);
    TopologyVerdict verdict = lastVerdicts.get(ResourceID.fromResource(cr));
    TurboCacheStatus status = aggregator.aggregate(cr, observe(cr, context, verdict, buckets.lastKnown(cr)), failure);
    return unchanged(cr, status)
        ? ErrorStatusUpdateControl.defaultErrorProcessing()
        : ErrorStatusUpdateControl.patchStatus(withStatus(cr, status));
  }

  /** The topology check of an operator-managed Redis; heals only when {@code heal} (not paused). */
  private TopologyVerdict checkRedis(TurboCache cr, Context<TurboCache> context, boolean heal) {
    ResourceID id = ResourceID.fromResource(cr);
    if (ResolvedSpec.of(cr).redis().managed() == null) {
      lastVerdicts.remove(id);
      return null;
    }
    Secret auth = context.getSecondaryResource(Secret.class, RedisAuthSecret.DEPENDENT).orElse(null);
    StatefulSet redisSet = context.getSecondaryResource(StatefulSet.class, "redis").orElse(null);
    List<Pod> pods = context.getSecondaryResources(Pod.class).stream().toList();
    TopologyVerdict verdict = redisCheck.check(cr, auth, redisSet, pods, heal,
        pod -> context.getClient().pods().inNamespace(cr.getMetadata().getNamespace()).withName(pod).delete());
    if (verdict != null) {
      lastVerdicts.put(id, verdict);
      redisMetrics.record(cr, verdict);
    }
    return verdict;
  }

  /** One observation per component, in the order of their conditions. */
  static List<ComponentObservation> observe(TurboCache cr, Context<TurboCache> context, TopologyVerdict redis,
      BucketObservation bucket) {
    ResolvedSpec spec = ResolvedSpec.of(cr);
    ServerSecrets secrets = ServerSecrets.observe(cr, context.getSecondaryResources(Secret.class));
    Deployment deployment = context.getSecondaryResource(Deployment.class).orElse(null);
    return List.of(
        InstalledCrd.shared().observe(context.getClient()),
        new ServerObservation(cr, secrets, deployment),
        new RedisObservation(spec.redis(), secrets, redis),
        bucket,
        MonitoringObservation.of(cr, context.getClient()));
  }

  @Override
  public List<EventSource<?, TurboCache>> prepareEventSources(EventSourceContext<TurboCache> context) {
    context.getPrimaryCache().addIndexer(SECRETS_INDEX, cr ->
        ServerSecrets.referencedNames(cr).stream().map(name -> indexKey(name, cr.getMetadata().getNamespace())).toList());
    InformerEventSourceConfiguration<Secret> config =
        InformerEventSourceConfiguration.from(Secret.class, TurboCache.class)
            .withName(SECRETS_EVENT_SOURCE)
            .withNamespacesInheritedFromController()
            .withSecondaryToPrimaryMapper(
                secret ->
                    context.getPrimaryCache()
                        .byIndex(SECRETS_INDEX, indexKey(secret.getMetadata().getName(), secret.getMetadata().getNamespace()))
                        .stream()
                        .map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
            .withPrimaryToSecondaryMapper(
                (PrimaryToSecondaryMapper<TurboCache>)
                    cr ->
                        ServerSecrets.referencedNames(cr).stream()
                            .map(name -> new ResourceID(name, cr.getMetadata().getNamespace()))
                            .collect(Collectors.toSet()))
            .build();
    return List.of(new InformerEventSource<>(config, context), redisPods(context));
  }

  /**
   * The pods of every managed Redis (Redis and sentinels): a pod that starts, becomes ready or dies
   * triggers a topology check at once, and the Redis pods' revisions drive the rolling update.
   */
  private static InformerEventSource<Pod, TurboCache> redisPods(EventSourceContext<TurboCache> context) {
    InformerEventSourceConfiguration<Pod> config =
        InformerEventSourceConfiguration.from(Pod.class, TurboCache.class)
            .withName(REDIS_PODS_EVENT_SOURCE)
            .withNamespacesInheritedFromController()
            .withLabelSelector(Labels.MANAGED_SELECTOR + "," + Labels.COMPONENT + " in ("
                + Labels.Component.REDIS.value + "," + Labels.Component.SENTINEL.value + ")")
            .withSecondaryToPrimaryMapper(pod -> {
              String instance = pod.getMetadata().getLabels().get(Labels.INSTANCE);
              return instance == null ? Set.of() : Set.of(new ResourceID(instance, pod.getMetadata().getNamespace()));
            })
            .withPrimaryToSecondaryMapper((PrimaryToSecondaryMapper<TurboCache>) cr -> {
              ResolvedSpec.ManagedRedis m = ResolvedSpec.of(cr).redis().managed();
              if (m == null) {
                return Set.of();
              }
              String ns = cr.getMetadata().getNamespace();
              return Stream.concat(
                      IntStream.range(0, m.redisReplicas()).mapToObj(i -> Names.redis(cr) + "-" + i),
                      IntStream.range(0, m.sentinels()).mapToObj(i -> Names.sentinel(cr) + "-" + i))
                  .map(name -> new ResourceID(name, ns))
                  .collect(Collectors.toSet());
            })
            .build();
    return new InformerEventSource<>(config, context);
  }

  private static String indexKey(String name, String namespace) {
    return namespace + "/" + name;
  }

  private static boolean unchanged(TurboCache cr, TurboCacheStatus status) {
    return cr.getStatus() != null
        && Serialization.jsonMapper().valueToTree(cr.getStatus()).equals(Serialization.jsonMapper().valueToTree(status));
  }

  /** As JOSDK patches the status of an UpdateControl: server-side apply by this controller's field manager. */
  private void patchStatus(KubernetesClient client, TurboCache cr) {
    if (!serverSideApply) {
      client.resource(cr).patchStatus();
      return;
    }
    client.resource(cr).subresource("status").patch(new PatchContext.Builder()
        .withPatchType(PatchType.SERVER_SIDE_APPLY).withFieldManager(NAME).withForce(true).build());
  }

  private TurboCache withStatus(TurboCache cr, TurboCacheStatus status) {
    if (!serverSideApply) {
      cr.setStatus(status);
      return cr;
    }
    TurboCache fresh = new TurboCache();
    fresh.setMetadata(
        new ObjectMetaBuilder().withName(cr.getMetadata().getName()).withNamespace(cr.getMetadata().getNamespace()).build());
    fresh.setStatus(status);
    return fresh;
  }
}
