package dev.turbocache.operator.controller;

import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.OperatorSettings;
import dev.turbocache.operator.bucket.BucketError;
import dev.turbocache.operator.bucket.BucketException;
import dev.turbocache.operator.bucket.BucketObservation;
import dev.turbocache.operator.bucket.IamPolicyConfigMap;
import dev.turbocache.operator.bucket.ManagedBuckets;
import dev.turbocache.operator.redis.RedisObservation;
import dev.turbocache.operator.server.ServerObservation;
import dev.turbocache.operator.status.ComponentObservation;
import dev.turbocache.operator.status.ReconcileFailure;
import dev.turbocache.operator.status.TurboCacheStatusAggregator;
import dev.turbocache.operator.api.v1alpha1.TurboCacheStatus;
import dev.turbocache.operator.server.ServerAutoscaler;
import dev.turbocache.operator.server.ServerConfigMap;
import dev.turbocache.operator.server.ServerDeployment;
import dev.turbocache.operator.server.ServerDisruptionBudget;
import dev.turbocache.operator.server.ServerIngress;
import dev.turbocache.operator.server.ServerNetworkPolicy;
import dev.turbocache.operator.server.ServerService;
import dev.turbocache.operator.server.ServerServiceAccount;
import dev.turbocache.operator.model.ResolvedSpec;
import dev.turbocache.operator.server.ServerSecrets;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
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
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles a TurboCache: runs the managed workflow of its children (unless {@code spec.paused}),
 * then the bucket step of a Managed s3 tier ({@link ManagedBuckets}, rescheduled at its resync
 * interval), then derives the status from what it observed. Deletion goes through {@link #cleanup}:
 * JOSDK puts its finalizer on every TurboCache, and cleanup is immediate unless a Managed bucket
 * with deletionPolicy Delete must be emptied first. Every referenced Secret (tokens, Redis password, S3
 * keys) is watched so that a missing one turns into a Degraded condition, the CR recovers by itself
 * once it appears, and a change of its data rolls the pods (checksum).
 */
@ControllerConfiguration(name = TurboCacheReconciler.NAME)
@Workflow(
    explicitInvocation = true,
    dependents = {
      @Dependent(name = "service-account", type = ServerServiceAccount.class),
      @Dependent(name = "config", type = ServerConfigMap.class),
      @Dependent(name = "deployment", type = ServerDeployment.class, dependsOn = {"config", "service-account"}),
      @Dependent(name = "service", type = ServerService.class),
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
          reconcilePrecondition = IamPolicyConfigMap.Enabled.class)
    })
public class TurboCacheReconciler implements Reconciler<TurboCache>, Cleaner<TurboCache> {
  public static final String NAME = "turbocache";
  static final String SECRETS_INDEX = "turbocache-referenced-secrets";
  static final String SECRETS_EVENT_SOURCE = "referenced-secrets";
  private static final Logger LOG = LoggerFactory.getLogger(TurboCacheReconciler.class);

  private final boolean serverSideApply;
  private final TurboCacheStatusAggregator aggregator;
  private final ManagedBuckets buckets;

  /**
   * Without S3 clients: for API servers whose TurboCaches have no Managed bucket (a Managed one then
   * reports that the operator has no AWS credentials).
   *
   * @param serverSideApply false against servers without SSA (the Fabric8 mock server): the status is
   *     then patched from a modified copy of the resource instead of a fresh apply object
   */
  public TurboCacheReconciler(boolean serverSideApply, Clock clock) {
    this(serverSideApply, clock, new ManagedBuckets(s3 -> {
      throw new BucketException(new BucketError("credentials", s3.bucket(), 0, BucketError.NO_CREDENTIALS,
          "this operator was started without S3 clients"), null);
    }, OperatorSettings.DEFAULT_BUCKET_RESYNC));
  }

  public TurboCacheReconciler(boolean serverSideApply, Clock clock, ManagedBuckets buckets) {
    this.serverSideApply = serverSideApply;
    this.aggregator = new TurboCacheStatusAggregator(clock);
    this.buckets = buckets;
  }

  @Override
  public UpdateControl<TurboCache> reconcile(TurboCache cr, Context<TurboCache> context) {
    if (!ResolvedSpec.of(cr).paused()) {
      // errors propagate to updateErrorStatus (and retry)
      context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();
    }
    BucketObservation bucket = buckets.reconcile(cr);
    TurboCacheStatus status = aggregator.aggregate(cr, observe(cr, context, bucket), null);
    UpdateControl<TurboCache> control =
        unchanged(cr, status) ? UpdateControl.noUpdate() : UpdateControl.patchStatus(withStatus(cr, status));
    return buckets.nextCheck(cr, bucket).map(control::rescheduleAfter).orElse(control);
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
      return DeleteControl.defaultDelete();
    }
    TurboCacheStatus status = aggregator.aggregate(cr, observe(cr, context, step.observation()), null);
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
    TurboCacheStatus status = aggregator.aggregate(cr, observe(cr, context, buckets.lastKnown(cr)), failure);
    return unchanged(cr, status)
        ? ErrorStatusUpdateControl.defaultErrorProcessing()
        : ErrorStatusUpdateControl.patchStatus(withStatus(cr, status));
  }

  /** One observation per component, in the order of their conditions. */
  static List<ComponentObservation> observe(TurboCache cr, Context<TurboCache> context, BucketObservation bucket) {
    ResolvedSpec spec = ResolvedSpec.of(cr);
    ServerSecrets secrets = ServerSecrets.observe(cr, context.getSecondaryResources(Secret.class));
    Deployment deployment = context.getSecondaryResource(Deployment.class).orElse(null);
    return List.of(
        new ServerObservation(cr, secrets, deployment),
        new RedisObservation(spec.redis(), secrets),
        bucket);
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
    return List.of(new InformerEventSource<>(config, context));
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
