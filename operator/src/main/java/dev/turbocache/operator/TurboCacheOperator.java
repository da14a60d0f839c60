package dev.turbocache.operator;

import dev.turbocache.operator.bucket.BucketClients;
import dev.turbocache.operator.bucket.ManagedBuckets;
import dev.turbocache.operator.bucket.SdkBucketClients;
import dev.turbocache.operator.controller.TurboCacheReconciler;
import dev.turbocache.operator.redis.RedisMetrics;
import dev.turbocache.operator.redis.RedisTopologyCheck;
import dev.turbocache.operator.redis.SharedRedisProbe;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import java.time.Clock;

/** Builds the JOSDK {@link Operator} with the TurboCache controller registered (used by main and tests). */
public final class TurboCacheOperator {
  private TurboCacheOperator() {}

  /** The namespace of the Lease when none is configured and the kubeconfig names none. */
  public static final String FALLBACK_NAMESPACE = "default";

  /**
   * What the reconciler talks to besides the API server.
   *
   * @param redisCheck how the operator looks at (and heals) the Redis it runs
   * @param redisMetrics where it reports what it saw of that Redis
   * @param buckets the Managed-bucket step against S3
   */
  public record Externals(RedisTopologyCheck redisCheck, RedisMetrics redisMetrics, ManagedBuckets buckets) {

    /**
     * In a cluster: Redis pods reached by their IPs with a probe made on first use; S3 with the
     * operator's own AWS credentials (its Secret, else the default chain).
     *
     * @param registry the operator's metrics registry, or null to record nothing
     */
    public static Externals of(KubernetesClient client, OperatorSettings settings, MeterRegistry registry) {
      BucketClients buckets = settings.awsCredentialsSecret() == null
          ? SdkBucketClients.defaultChain()
          : SdkBucketClients.fromSecret(client, ownNamespace(settings, client), settings.awsCredentialsSecret());
      return new Externals(new RedisTopologyCheck(cr -> SharedRedisProbe.get(), RedisTopologyCheck.CLUSTER),
          new RedisMetrics(registry), new ManagedBuckets(buckets, settings.bucketResync()));
    }

    public Externals withBuckets(ManagedBuckets other) {
      return new Externals(redisCheck, redisMetrics, other);
    }
  }

  public static Operator create(KubernetesClient client, OperatorSettings settings, Metrics metrics) {
    return create(client, settings, metrics, Externals.of(client, settings, null));
  }

  public static Operator create(KubernetesClient client, OperatorSettings settings, Metrics metrics, Externals externals) {
    String ownNamespace = ownNamespace(settings, client);
    Operator operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client);
              o.withCloseClientOnStop(false); // the caller owns the client
              o.withInformerStoppedHandler(new InformerFailureExit(client));
              o.withUseSSAToPatchPrimaryResource(settings.serverSideApply());
              o.withSSABasedCreateUpdateMatchForDependentResources(settings.serverSideApply());
              if (settings.leaderElection()) {
                o.withLeaderElectionConfiguration(new LeaderElectionConfiguration(settings.leaseName(), ownNamespace));
              }
              if (metrics != null) {
                o.withMetrics(metrics);
              }
            });
    operator.register(
        new TurboCacheReconciler(settings.serverSideApply(), Clock.systemUTC(), externals.redisCheck(),
            externals.redisMetrics(), externals.buckets()),
        c -> {
          if (settings.watchOwnNamespace()) {
            c.settingNamespace(ownNamespace);
          } else if (settings.watchAllNamespaces()) {
            c.watchingAllNamespaces();
          } else {
            c.settingNamespaces(settings.watchNamespaces());
          }
        });
    return operator;
  }

  /**
   * The operator's own namespace (of its Lease, and what {@code own} watches): POD_NAMESPACE in a
   * pod; started by hand with {@code java -jar}, the kubeconfig context's namespace, else
   * {@value #FALLBACK_NAMESPACE}.
   */
  public static String ownNamespace(OperatorSettings settings, KubernetesClient client) {
    if (settings.ownNamespace() != null) {
      return settings.ownNamespace();
    }
    String fromClient = client.getNamespace();
    return fromClient == null || fromClient.isBlank() ? FALLBACK_NAMESPACE : fromClient;
  }
}
