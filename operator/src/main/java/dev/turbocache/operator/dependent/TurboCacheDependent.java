package dev.turbocache.operator.dependent;

import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.model.Labels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A child of a TurboCache, of any component. Its name comes from {@link dev.turbocache.operator.model.Names}
 * (so JOSDK finds the child without rendering it, also while a precondition is off and the child must
 * go), and its desired state from the component's static, pure {@code desired(...)}: the JOSDK
 * {@code desired(primary, context)} only gathers that function's inputs.
 */
public abstract class TurboCacheDependent<R extends HasMetadata> extends CRUDKubernetesDependentResource<R, TurboCache> {
  private final Function<TurboCache, String> name;
  private final BiFunction<TurboCache, Context<TurboCache>, R> render;

  /** A child whose desired state depends on the TurboCache alone. */
  protected TurboCacheDependent(Class<R> type, Function<TurboCache, String> name, Function<TurboCache, R> render) {
    this(type, name, (cr, context) -> render.apply(cr));
  }

  /** A child whose desired state also depends on other observed objects (Secrets, the live child). */
  protected TurboCacheDependent(
      Class<R> type, Function<TurboCache, String> name, BiFunction<TurboCache, Context<TurboCache>, R> render) {
    super(type);
    this.name = name;
    this.render = render;
  }

  @Override
  protected R desired(TurboCache primary, Context<TurboCache> context) {
    return render.apply(primary, context);
  }

  @Override
  protected ResourceID targetSecondaryResourceID(TurboCache primary, Context<TurboCache> context) {
    return new ResourceID(childName(primary), primary.getMetadata().getNamespace());
  }

  /** The name of this child of {@code cr}, whether or not it should exist. */
  public String childName(TurboCache cr) {
    return name.apply(cr);
  }

  /** Metadata of a child: its name, the CR's namespace and the operator's labels (never the CR's). */
  public static ObjectMeta metadata(TurboCache cr, String name, Labels.Component component) {
    return new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(cr.getMetadata().getNamespace())
        .withLabels(Labels.of(cr, component))
        .build();
  }

  /** {@link #metadata(TurboCache, String, Labels.Component)} with annotations (copied). */
  public static ObjectMeta metadata(TurboCache cr, String name, Labels.Component component, Map<String, String> annotations) {
    return new ObjectMetaBuilder(metadata(cr, name, component)).withAnnotations(new LinkedHashMap<>(annotations)).build();
  }
}
