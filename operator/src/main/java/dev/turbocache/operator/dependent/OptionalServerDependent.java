package dev.turbocache.operator.dependent;

import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.model.Names;
import dev.turbocache.operator.model.ResolvedSpec;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A cache-server child that exists only while its feature is on (Ingress, HPA, PDB, NetworkPolicy).
 * It is named like the server ({@link Names#server}); JOSDK deletes it when its {@link Enabled}
 * precondition turns false.
 */
abstract class OptionalServerDependent<R extends HasMetadata> extends TurboCacheDependent<R> {

  protected OptionalServerDependent(Class<R> type, Function<TurboCache, R> render) {
    super(type, render);
  }

  /** Identifies the child without desired(), which is undefined while the feature is off (needed for deletion). */
  @Override
  protected ResourceID targetSecondaryResourceID(TurboCache primary, Context<TurboCache> context) {
    return new ResourceID(Names.server(primary), primary.getMetadata().getNamespace());
  }

  /** The reconcile precondition: the feature's resolved setting is present. */
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
  static <T> T required(T setting, String feature) {
    if (setting == null) {
      throw new IllegalStateException(feature + " is not enabled");
    }
    return setting;
  }
}
