package dev.turbocache.operator;

import dev.turbocache.operator.bucket.BucketClients;
import dev.turbocache.operator.bucket.ManagedBuckets;
import dev.turbocache.operator.bucket.SdkBucketClients;
import dev.turbocache.operator.controller.TurboCacheReconciler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import java.time.Clock;

/** Builds the JOSDK {@link Operator} with the TurboCache controller registered (used by main and tests). */
public final class TurboCacheOperator {
  private TurboCacheOperator() {}

  /** The namespace of the Lease when none is configured and the kubeconfig names none. */
  public static final String FALLBACK_NAMESPACE = "default";

  public static Operator create(KubernetesClient client, OperatorSettings settings, Metrics metrics) {
    String ownNamespace = ownNamespace(settings, client);
    BucketClients buckets = settings.awsCredentialsSecret() == null
        ? SdkBucketClients.defaultChain()
        : SdkBucketClients.fromSecret(client, ownNamespace, settings.awsCredentialsSecret());
    return create(client, settings, metrics, new ManagedBuckets(buckets, settings.bucketResync()));
  }

  /** With the bucket step given (tests point it at a local S3 and delete in small steps). */
  public static Operator create(KubernetesClient client, OperatorSettings settings, Metrics metrics, ManagedBuckets buckets) {
    String ownNamespace = ownNamespace(settings, client);
    Operator operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client);
              o.withCloseClientOnStop(false); // the caller owns the client
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
        new TurboCacheReconciler(settings.serverSideApply(), Clock.systemUTC(), buckets),
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
