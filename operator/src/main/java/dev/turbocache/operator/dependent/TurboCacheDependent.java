package dev.turbocache.operator.dependent;

import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.model.Labels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A child whose desired state depends on the TurboCache alone: the JOSDK {@code desired(primary,
 * context)} delegates to the dependent's static, pure {@code desired(cr)}.
 */
abstract class TurboCacheDependent<R extends HasMetadata> extends CRUDKubernetesDependentResource<R, TurboCache> {
  private final Function<TurboCache, R> render;

  protected TurboCacheDependent(Class<R> type, Function<TurboCache, R> render) {
    super(type);
    this.render = render;
  }

  @Override
  protected R desired(TurboCache primary, Context<TurboCache> context) {
    return render.apply(primary);
  }

  /** Metadata of a cache-server child: its name, the CR's namespace and the operator's labels (never the CR's). */
  static ObjectMeta metadata(TurboCache cr, String name) {
    return new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(cr.getMetadata().getNamespace())
        .withLabels(Labels.of(cr, Labels.Component.CACHE_SERVER))
        .build();
  }

  /** {@link #metadata(TurboCache, String)} with annotations (copied). */
  static ObjectMeta metadata(TurboCache cr, String name, Map<String, String> annotations) {
    return new ObjectMetaBuilder(metadata(cr, name)).withAnnotations(new LinkedHashMap<>(annotations)).build();
  }
}
