package dev.turbocache.operator.monitoring;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.openshift.api.model.monitoring.v1.Endpoint;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntUnaryOperator;

/**
 * What prometheus-operator makes of a ServiceMonitor, for a Prometheus on this machine: one static
 * {@code scrape_configs} entry per endpoint. The endpoint's Service port (by name) leads to its
 * target port, that to the container port of the selected pods, and that, through {@code
 * localPort}, to where the process listens here. Like prometheus-operator, the target gets the
 * labels {@code namespace}, {@code service} and {@code job} (the value of the Service's label that
 * {@code jobLabel} names when it has it, else the Service's name), and {@code honorLabels} keeps the
 * scraped series' own labels.
 */
public final class ScrapeConfig {
  private ScrapeConfig() {}

  public static List<Map<String, Object>> of(
      ServiceMonitor monitor, Service service, List<ContainerPort> containerPorts, IntUnaryOperator localPort) {
    assertSelects(monitor, service);
    return monitor.getSpec().getEndpoints().stream().map(e -> entry(monitor, service, e, containerPorts, localPort)).toList();
  }

  private static Map<String, Object> entry(
      ServiceMonitor monitor, Service service, Endpoint e, List<ContainerPort> containerPorts, IntUnaryOperator localPort) {
    ServicePort sp = service.getSpec().getPorts().stream().filter(p -> p.getName().equals(e.getPort())).findFirst()
        .orElseThrow(() -> new AssertionError("Service " + service.getMetadata().getName() + " has no port named " + e.getPort()));
    int containerPort = containerPort(sp.getTargetPort(), containerPorts);
    Map<String, Object> labels = new LinkedHashMap<>();
    labels.put("namespace", monitor.getMetadata().getNamespace());
    labels.put("service", service.getMetadata().getName());
    labels.put("job", job(monitor, service));
    labels.put("endpoint", e.getPort());
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("job_name", "serviceMonitor/" + monitor.getMetadata().getNamespace() + "/" + monitor.getMetadata().getName());
    config.put("metrics_path", e.getPath() == null ? "/metrics" : e.getPath());
    config.put("scheme", e.getScheme() == null ? "http" : e.getScheme());
    if (e.getInterval() != null) {
      config.put("scrape_interval", e.getInterval());
    }
    if (e.getScrapeTimeout() != null) {
      config.put("scrape_timeout", e.getScrapeTimeout());
    }
    config.put("honor_labels", Boolean.TRUE.equals(e.getHonorLabels()));
    config.put("static_configs", List.of(Map.of(
        "targets", List.of("127.0.0.1:" + localPort.applyAsInt(containerPort)),
        "labels", labels)));
    return config;
  }

  private static String job(ServiceMonitor monitor, Service service) {
    String jobLabel = monitor.getSpec().getJobLabel();
    String value = jobLabel == null ? null : service.getMetadata().getLabels().get(jobLabel);
    return value == null || value.isEmpty() ? service.getMetadata().getName() : value;
  }

  /** A named target port is looked up among the container's ports; a number is the container port. */
  private static int containerPort(IntOrString target, List<ContainerPort> containerPorts) {
    if (target.getStrVal() == null) {
      return target.getIntVal();
    }
    return containerPorts.stream().filter(p -> target.getStrVal().equals(p.getName())).findFirst()
        .orElseThrow(() -> new AssertionError("no container port named " + target.getStrVal())).getContainerPort();
  }

  private static void assertSelects(ServiceMonitor monitor, Service service) {
    Map<String, String> wanted = monitor.getSpec().getSelector().getMatchLabels();
    if (!service.getMetadata().getLabels().entrySet().containsAll(wanted.entrySet())) {
      throw new AssertionError("ServiceMonitor " + monitor.getMetadata().getName() + " selects " + wanted
          + ", Service " + service.getMetadata().getName() + " has " + service.getMetadata().getLabels());
    }
    List<String> namespaces = monitor.getSpec().getNamespaceSelector() == null ? null
        : monitor.getSpec().getNamespaceSelector().getMatchNames();
    if (namespaces != null && !namespaces.isEmpty() && !namespaces.contains(service.getMetadata().getNamespace())) {
      throw new AssertionError("ServiceMonitor " + monitor.getMetadata().getName() + " looks in " + namespaces);
    }
  }
}
