package dev.turbocache.operator.monitoring;

import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.dependent.OptionalDependent;
import dev.turbocache.operator.dependent.TurboCacheDependent;
import dev.turbocache.operator.model.Labels;
import dev.turbocache.operator.model.Names;
import dev.turbocache.operator.model.ResolvedSpec;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRuleBuilder;
import io.fabric8.openshift.api.model.monitoring.v1.Rule;
import io.fabric8.openshift.api.model.monitoring.v1.RuleBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Optional PrometheusRule (spec.monitoring.prometheusRule.enabled) with the alerts of {@link AlertRules}. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MONITORING_SELECTOR))
public class ServerPrometheusRule extends TurboCacheDependent<PrometheusRule> {
  /** The rule group; one per TurboCache, so two caches' alerts never mix. */
  public static final String GROUP_SUFFIX = ".rules";

  public ServerPrometheusRule() {
    super(PrometheusRule.class, Names::monitoring, (TurboCache cr) -> desired(cr));
  }

  public static class Enabled extends OptionalDependent.Enabled<PrometheusRule> {
    public Enabled() {
      super(s -> s.monitoring().alerts() != null);
    }
  }

  public static PrometheusRule desired(TurboCache cr) {
    return desired(cr, AlertRules.Timing.PRODUCTION);
  }

  /** With other windows and {@code for} durations (a test's real Prometheus); production uses {@link #desired(TurboCache)}. */
  public static PrometheusRule desired(TurboCache cr, AlertRules.Timing timing) {
    ResolvedSpec.Alerts a = OptionalDependent.required(ResolvedSpec.of(cr).monitoring().alerts(), "monitoring.prometheusRule");
    List<Rule> rules = AlertRules.of(cr, timing).stream().map(alert -> rule(cr, alert, timing)).toList();
    return new PrometheusRuleBuilder()
        .withMetadata(new ObjectMetaBuilder(metadata(cr, Names.monitoring(cr), Labels.Component.MONITORING))
            .withLabels(Labels.of(cr, Labels.Component.MONITORING, a.labels()))
            .build())
        .withNewSpec()
        .addNewGroup()
        .withName("turbocache." + cr.getMetadata().getNamespace() + "." + cr.getMetadata().getName() + GROUP_SUFFIX)
        .withRules(rules)
        .endGroup()
        .endSpec()
        .build();
  }

  private static Rule rule(TurboCache cr, AlertRules.Alert alert, AlertRules.Timing timing) {
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put("summary", alert.summary());
    annotations.put("description", alert.description());
    annotations.put("runbook", alert.runbook());
    return new RuleBuilder()
        .withAlert(alert.name())
        .withExpr(new IntOrString(alert.expr()))
        .withFor(timing.forOf(alert.forDuration()))
        .withLabels(AlertRules.labels(cr, alert))
        .withAnnotations(annotations)
        .build();
  }
}
