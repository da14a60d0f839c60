package dev.turbocache.operator;

import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.status.ReconcileFailure;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Optional;

/**
 * Asks the API server for its version, and whether it serves TurboCaches, before the controllers
 * start. Without this, an operator that cannot reach it (no kubeconfig outside a cluster, a wrong
 * server address) retries for about 20 s and then exits with the informers' stack traces
 * ("ConnectException: null"), and one started before its CRD exits with "Not Found" traces; this
 * says in one line which address it tried and what is wrong.
 */
final class ApiServerCheck {
  private ApiServerCheck() {}

  /** What is wrong, or empty when the API server answered. */
  static Optional<String> problem(Config config) {
    // One attempt: the pod restarts, or the user fixes the kubeconfig, sooner than retries help.
    Config once = new ConfigBuilder(config).withRequestRetryBackoffLimit(0).build();
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(once).build()) {
      client.getKubernetesVersion();
      if (!client.supports(TurboCache.class)) {
        return Optional.of("the Kubernetes API server at " + config.getMasterUrl() + " does not serve "
            + HasMetadata.getApiVersion(TurboCache.class) + " " + HasMetadata.getKind(TurboCache.class)
            + ": install the CRD first (kubectl apply --server-side -f crds/; the Helm chart installs it).");
      }
      return Optional.empty();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 401 || e.getCode() == 403) {
        return Optional.of("the Kubernetes API server at " + config.getMasterUrl() + " refused the operator's"
            + " credentials (" + e.getCode() + "): check the token or certificate of its kubeconfig or ServiceAccount.");
      }
      return Optional.of("cannot reach the Kubernetes API server at " + config.getMasterUrl() + ": " + reason(e)
          + ". Outside a cluster the operator uses KUBECONFIG (else ~/.kube/config); in a pod, its ServiceAccount"
          + " and the kubernetes.default Service.");
    }
  }

  /** The innermost cause, by message, else by name. */
  private static String reason(Throwable failure) {
    Throwable t = ReconcileFailure.rootCause(failure);
    if (t instanceof UnresolvedAddressException) {
      return "its host name does not resolve";
    }
    return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
  }
}
