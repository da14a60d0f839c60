package dev.turbocache.operator.kubeapi;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts finished reconciliations (successful or failed), so a test can wait for the next ones. */
public final class ReconcileCounter implements Metrics {
  private final AtomicInteger finished = new AtomicInteger();

  @Override
  public void reconciliationExecutionFinished(HasMetadata resource, Map<String, Object> metadata) {
    finished.incrementAndGet();
  }

  public int finished() {
    return finished.get();
  }
}
