package dev.turbocache.operator;

import dev.turbocache.operator.controller.TurboCacheReconciler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import java.time.Clock;

/** Builds the JOSDK {@link Operator} with the TurboCache controller registered (used by main and tests). */
public final class TurboCacheOperator {
  private TurboCacheOperator() {}

  public static Operator create(KubernetesClient client, OperatorSettings settings, Metrics metrics) {
    String ownNamespace = settings.ownNamespace() != null ? settings.ownNamespace() : client.getNamespace();
    Operator operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client);
              o.withCloseClientOnStop(false); // the caller owns the client
              o.withUseSSAToPatchPrimaryResource(settings.serverSideApply());
              o.withSSABasedCreateUpdateMatchForDependentResources(settings.serverSideApply());
              if (settings.leaderElection()) {
                if (ownNamespace == null) {
                  throw new IllegalStateException("leader election needs POD_NAMESPACE (the namespace of the Lease)");
                }
                o.withLeaderElectionConfiguration(new LeaderElectionConfiguration(settings.leaseName(), ownNamespace));
              }
              if (metrics != null) {
                o.withMetrics(metrics);
              }
            });
    operator.register(
        new TurboCacheReconciler(settings.serverSideApply(), Clock.systemUTC()),
        c -> {
          if (settings.watchOwnNamespace()) {
            if (ownNamespace == null) {
              throw new IllegalStateException("TURBOCACHE_WATCH_NAMESPACES=own needs POD_NAMESPACE");
            }
            c.settingNamespace(ownNamespace);
          } else if (settings.watchAllNamespaces()) {
            c.watchingAllNamespaces();
          } else {
            c.settingNamespaces(settings.watchNamespaces());
          }
        });
    return operator;
  }
}
