package dev.turbocache.operator.monitoring;

import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.dependent.OptionalDependent;
import dev.turbocache.operator.dependent.TurboCacheDependent;
import dev.turbocache.operator.model.Labels;
import dev.turbocache.operator.model.Names;
import dev.turbocache.operator.model.ResolvedSpec;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.Map;

/**
 * Optional Grafana dashboard (spec.monitoring.grafanaDashboard.enabled): a ConfigMap in the
 * TurboCache's namespace (an owner reference cannot cross namespaces) with the labels the Grafana
 * sidecar looks for. A plain ConfigMap, so it needs no CRD.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MONITORING_SELECTOR))
public class DashboardConfigMap extends TurboCacheDependent<ConfigMap> {
  /** The sidecar imports every key ending in .json. */
  public static final String KEY = "turbocache.json";
  public static final String FOLDER_ANNOTATION = "grafana_folder";

  public DashboardConfigMap() {
    super(ConfigMap.class, Names::dashboard, DashboardConfigMap::desired);
  }

  public static class Enabled extends OptionalDependent.Enabled<ConfigMap> {
    public Enabled() {
      super(s -> s.monitoring().dashboard() != null);
    }
  }

  public static ConfigMap desired(TurboCache cr) {
    ResolvedSpec.Dashboard d = OptionalDependent.required(ResolvedSpec.of(cr).monitoring().dashboard(), "monitoring.grafanaDashboard");
    ObjectMetaBuilder meta = new ObjectMetaBuilder(metadata(cr, Names.dashboard(cr), Labels.Component.MONITORING))
        .withLabels(Labels.of(cr, Labels.Component.MONITORING, d.labels()));
    if (d.folder() != null) {
      meta.withAnnotations(Map.of(FOLDER_ANNOTATION, d.folder()));
    }
    return new ConfigMapBuilder().withMetadata(meta.build()).withData(Map.of(KEY, Dashboard.json(cr))).build();
  }
}
