package dev.turbocache.operator.monitoring;

import dev.turbocache.operator.api.v1alpha1.MonitoringStatus;
import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.api.v1alpha1.TurboCacheStatus;
import dev.turbocache.operator.model.Durations;
import dev.turbocache.operator.model.Names;
import dev.turbocache.operator.model.ResolvedSpec;
import dev.turbocache.operator.status.ComponentCondition;
import dev.turbocache.operator.status.ComponentObservation;
import dev.turbocache.operator.status.Warning;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Monitoring as one reconciliation saw it: which children spec.monitoring asks for and which CRDs
 * they need that the cluster lacks. Never affects Ready (monitoring is optional); a missing CRD is a
 * warning and MonitoringReady False until prometheus-operator is installed, which the operator
 * notices by itself within {@link MonitoringCrds#TTL} plus one {@link #RECHECK}.
 *
 * @param missingCrds CRDs of the requested children that are not installed, in child order
 */
public record MonitoringObservation(TurboCache cr, ResolvedSpec.Monitoring spec, List<String> missingCrds)
    implements ComponentObservation {
  public static final String MONITORING_READY = "MonitoringReady";
  public static final String CRD_MISSING = "MonitoringCrdMissing";
  /** How often a TurboCache waiting for a monitoring CRD is looked at again (nothing else would wake it). */
  public static final Duration RECHECK = Duration.ofSeconds(20);

  /** The CRDs the requested children need, in child order. */
  public static List<String> wantedCrds(ResolvedSpec.Monitoring spec) {
    List<String> wanted = new ArrayList<>();
    if (spec.serviceMonitor() != null) {
      wanted.add(MonitoringCrds.SERVICE_MONITOR);
    }
    if (spec.alerts() != null) {
      wanted.add(MonitoringCrds.PROMETHEUS_RULE);
    }
    return wanted;
  }

  /** Asks the cluster (through the shared, briefly cached answers) which wanted CRDs are missing. */
  public static MonitoringObservation of(TurboCache cr, KubernetesClient client) {
    ResolvedSpec.Monitoring spec = ResolvedSpec.of(cr).monitoring();
    List<String> wanted = wantedCrds(spec);
    return new MonitoringObservation(cr, spec, wanted.isEmpty() ? List.of() : MonitoringCrds.shared().missing(client, wanted));
  }

  /** When to look again: while a CRD is missing, since its installation is no event of this TurboCache. */
  @Override
  public Optional<Duration> recheckAfter() {
    return missingCrds.isEmpty() ? Optional.empty() : Optional.of(RECHECK);
  }

  @Override
  public Optional<ComponentCondition> condition() {
    if (!spec.any()) {
      return Optional.empty();
    }
    if (!missingCrds.isEmpty()) {
      return Optional.of(new ComponentCondition(MONITORING_READY, false, false, "CrdMissing", missingMessage()));
    }
    return Optional.of(new ComponentCondition(MONITORING_READY, true, false, "Applied", String.join(", ", rendered()) + " applied"));
  }

  @Override
  public List<Warning> warnings() {
    List<Warning> out = new ArrayList<>();
    if (!missingCrds.isEmpty()) {
      out.add(new Warning(CRD_MISSING, missingMessage()));
    }
    ResolvedSpec.ServiceMonitor sm = spec.serviceMonitor();
    if (sm != null && Durations.parse(sm.scrapeTimeout()).compareTo(Durations.parse(sm.interval())) > 0) {
      out.add(new Warning("ScrapeTimeoutAboveInterval", "spec.monitoring.serviceMonitor.scrapeTimeout " + sm.scrapeTimeout()
          + " is longer than its interval " + sm.interval() + ": Prometheus rejects such a scrape configuration"));
    }
    return out;
  }

  @Override
  public void describe(TurboCacheStatus status) {
    if (!spec.any()) {
      return;
    }
    MonitoringStatus m = new MonitoringStatus();
    m.serviceMonitor = spec.serviceMonitor() != null && !missingCrds.contains(MonitoringCrds.SERVICE_MONITOR) ? Names.monitoring(cr) : null;
    m.prometheusRule = spec.alerts() != null && !missingCrds.contains(MonitoringCrds.PROMETHEUS_RULE) ? Names.monitoring(cr) : null;
    m.dashboard = spec.dashboard() != null ? Names.dashboard(cr) : null;
    m.missingCrds = missingCrds.isEmpty() ? null : missingCrds;
    status.monitoring = m;
  }

  private List<String> rendered() {
    List<String> out = new ArrayList<>();
    if (spec.serviceMonitor() != null) {
      out.add("ServiceMonitor " + Names.monitoring(cr));
    }
    if (spec.alerts() != null) {
      out.add("PrometheusRule " + Names.monitoring(cr));
    }
    if (spec.dashboard() != null) {
      out.add("dashboard ConfigMap " + Names.dashboard(cr));
    }
    return out;
  }

  private String missingMessage() {
    return "CRD " + String.join(" and ", missingCrds) + " not installed (or not readable by the operator): install"
        + " prometheus-operator (e.g. kube-prometheus-stack); the operator creates the "
        + (missingCrds.size() == 1 && missingCrds.get(0).equals(MonitoringCrds.SERVICE_MONITOR) ? "ServiceMonitor"
            : missingCrds.size() == 1 ? "PrometheusRule" : "ServiceMonitor and PrometheusRule")
        + " once it is, without a restart";
  }
}
