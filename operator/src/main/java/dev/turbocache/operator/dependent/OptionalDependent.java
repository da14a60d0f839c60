package dev.turbocache.operator.dependent;

import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.model.ResolvedSpec;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import java.util.function.Predicate;

/**
 * Pieces for a child that exists only while its feature is on (an Ingress, an HPA, a managed Redis):
 * the reconcile precondition on the resolved spec, with which JOSDK deletes the child when the
 * feature is turned off, and the guard its {@code desired(...)} uses for the feature's settings.
 */
public final class OptionalDependent {
  private OptionalDependent() {}

  /** The reconcile precondition: the feature's resolved setting says it is on. */
  public abstract static class Enabled<R extends HasMetadata> implements Condition<R, TurboCache> {
    private final Predicate<ResolvedSpec> enabled;

    protected Enabled(Predicate<ResolvedSpec> enabled) {
      this.enabled = enabled;
    }

    @Override
    public boolean isMet(DependentResource<R, TurboCache> dr, TurboCache primary, Context<TurboCache> context) {
      return enabled.test(ResolvedSpec.of(primary));
    }
  }

  /** The resolved setting of a feature that {@code desired(cr)} needs; fails while the feature is off. */
  public static <T> T required(T setting, String feature) {
    if (setting == null) {
      throw new IllegalStateException(feature + " is not enabled");
    }
    return setting;
  }
}
