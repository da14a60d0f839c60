package dev.turbocache.operator.server;

import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.dependent.OptionalDependent;
import dev.turbocache.operator.dependent.TurboCacheDependent;
import dev.turbocache.operator.model.Labels;
import dev.turbocache.operator.model.Names;
import dev.turbocache.operator.model.ResolvedSpec;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.List;

/**
 * Optional NetworkPolicy: only the given peers (default: pods of the same namespace) may reach the
 * cache server's port, and only pods of the scraping namespaces (spec.monitoring.scraperNamespaceSelector,
 * default the namespace {@code monitoring}) its management port ({@code /metrics}); everything else is
 * denied ingress. The two are different container ports, so the cache's clients never reach {@code /metrics}.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.SERVER_SELECTOR))
public class ServerNetworkPolicy extends TurboCacheDependent<NetworkPolicy> {

  public ServerNetworkPolicy() {
    super(NetworkPolicy.class, Names::server, ServerNetworkPolicy::desired);
  }

  public static class Enabled extends OptionalDependent.Enabled<NetworkPolicy> {
    public Enabled() {
      super(s -> s.networkPolicy() != null);
    }
  }

  public static NetworkPolicy desired(TurboCache cr) {
    ResolvedSpec s = ResolvedSpec.of(cr);
    ResolvedSpec.NetworkPolicy n = OptionalDependent.required(s.networkPolicy(), "networkPolicy");
    List<NetworkPolicyPeer> from =
        n.from().isEmpty() ? List.of(new NetworkPolicyPeerBuilder().withNewPodSelector().endPodSelector().build()) : n.from();
    return new NetworkPolicyBuilder()
        .withMetadata(metadata(cr, Names.server(cr), Labels.Component.CACHE_SERVER))
        .withNewSpec()
        .withNewPodSelector()
        .withMatchLabels(Labels.selector(cr, Labels.Component.CACHE_SERVER))
        .endPodSelector()
        .withPolicyTypes("Ingress")
        .addNewIngress()
        .withFrom(from)
        .addNewPort()
        .withProtocol("TCP")
        .withPort(new IntOrString(ServerConfig.PORT))
        .endPort()
        .endIngress()
        .addNewIngress()
        .addNewFrom()
        .withNamespaceSelector(s.monitoring().scraperNamespaces())
        .endFrom()
        .addNewPort()
        .withProtocol("TCP")
        .withPort(new IntOrString(ServerConfig.MANAGEMENT_PORT))
        .endPort()
        .endIngress()
        .endSpec()
        .build();
  }
}
