package dev.turbocache.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.javaoperatorsdk.operator.api.config.InformerStoppedHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An informer that stopped with an error ends the process, as JOSDK does by default: the pod
 * restarts and lists everything afresh. Not when the client is already closed: that is the
 * operator's own shutdown overtaking a reconcile that had just started an informer (monitoring
 * kinds are watched from the moment their CRDs appear), and exiting then would turn a clean stop
 * into exit status 1.
 */
final class InformerFailureExit implements InformerStoppedHandler {
  private static final Logger LOG = LoggerFactory.getLogger(InformerFailureExit.class);

  private final KubernetesClient client;

  InformerFailureExit(KubernetesClient client) {
    this.client = client;
  }

  @Override
  @SuppressWarnings("rawtypes")
  public void onStop(SharedIndexInformer informer, Throwable ex) {
    if (ex == null) {
      return;
    }
    if (client.getHttpClient().isClosed()) {
      LOG.info("An informer stopped after the Kubernetes client was closed (shutting down): {}", ex.toString());
      return;
    }
    LOG.error("An informer failed; exiting so that the operator restarts with fresh watches", ex);
    System.exit(1);
  }
}
