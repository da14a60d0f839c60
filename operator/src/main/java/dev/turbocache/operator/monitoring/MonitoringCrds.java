package dev.turbocache.operator.monitoring;

import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.model.ReusedAnswers;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the prometheus-operator CRDs (ServiceMonitor, PrometheusRule) are installed, as the
 * activation conditions of their children. JOSDK's {@code CRDPresentActivationCondition} stops
 * asking after a few checks, so a prometheus-operator installed later would need an operator
 * restart; this asks again once its answer is {@link #TTL} old, in either direction. JOSDK registers
 * the child's informer when the condition turns true (and removes it when it turns false), so an
 * absent CRD never breaks the operator's start.
 */
public final class MonitoringCrds {
  public static final String SERVICE_MONITOR = HasMetadata.getPlural(ServiceMonitor.class) + "." + HasMetadata.getGroup(ServiceMonitor.class);
  public static final String PROMETHEUS_RULE = HasMetadata.getPlural(PrometheusRule.class) + "." + HasMetadata.getGroup(PrometheusRule.class);
  /** How long an answer is reused: one GET per CRD and cluster per period, whatever the number of TurboCaches. */
  public static final Duration TTL = Duration.ofSeconds(10);
  private static final Logger LOG = LoggerFactory.getLogger(MonitoringCrds.class);
  private static final MonitoringCrds SHARED = new MonitoringCrds(Clock.systemUTC(), TTL, MonitoringCrds::lookUp);

  /** One cluster (by API server URL) and CRD. */
  private record Key(String cluster, String crd) {}

  /** How a CRD's presence is found out: a GET of the CRD by name. */
  interface Lookup {
    boolean present(KubernetesClient client, String crd);
  }

  private final Lookup lookup;
  private final ReusedAnswers<Key, Boolean> answers;

  MonitoringCrds(Clock clock, Duration ttl, Lookup lookup) {
    this.lookup = lookup;
    this.answers = new ReusedAnswers<>(clock, ttl,
        (key, before, present) -> LOG.info("CRD {} is {}", key.crd(), present ? "installed" : "not installed"));
  }

  /** The answers the operator's conditions and status share. */
  public static MonitoringCrds shared() {
    return SHARED;
  }

  /** Whether {@code crd} is installed in the client's cluster, asked again once the last answer is older than the TTL. */
  public boolean present(KubernetesClient client, String crd) {
    return answers.get(new Key(client.getMasterUrl().toString(), crd), () -> lookup.present(client, crd));
  }

  /** The CRDs that {@code wanted} needs and the cluster lacks, in the given order. */
  public List<String> missing(KubernetesClient client, List<String> wanted) {
    return wanted.stream().filter(Predicate.not(crd -> present(client, crd))).toList();
  }

  /**
   * A CRD the operator may not read counts as missing (the status says so) rather than failing the
   * whole reconciliation: monitoring is optional, the cache is not.
   */
  private static boolean lookUp(KubernetesClient client, String crd) {
    try {
      return client.apiextensions().v1().customResourceDefinitions().withName(crd).get() != null;
    } catch (KubernetesClientException e) {
      LOG.warn("cannot read CRD {} (the operator needs get on customresourcedefinitions): {}", crd, e.getMessage());
      return false;
    }
  }

  /** The activation condition of a child whose kind a CRD defines. */
  abstract static class Installed<R extends HasMetadata> implements Condition<R, TurboCache> {
    private final String crd;

    Installed(String crd) {
      this.crd = crd;
    }

    @Override
    public boolean isMet(DependentResource<R, TurboCache> dr, TurboCache primary, Context<TurboCache> context) {
      return shared().present(context.getClient(), crd);
    }
  }

  public static final class ServiceMonitorInstalled extends Installed<ServiceMonitor> {
    public ServiceMonitorInstalled() {
      super(SERVICE_MONITOR);
    }
  }

  public static final class PrometheusRuleInstalled extends Installed<PrometheusRule> {
    public PrometheusRuleInstalled() {
      super(PROMETHEUS_RULE);
    }
  }
}
