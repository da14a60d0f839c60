package dev.turbocache.operator.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turbocache.operator.TestResources;
import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.api.v1alpha1.spec.IngressSpec;
import dev.turbocache.operator.api.v1alpha1.spec.NetworkPolicySpec;
import dev.turbocache.operator.api.v1alpha1.spec.ServiceSpec;
import dev.turbocache.operator.kubeapi.ExpectedChildren;
import dev.turbocache.operator.monitoring.MonitoredCaches;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * /metrics names the teams: whatever {@code server.service.type} is, no Service reachable from
 * outside the cluster (NodePort, LoadBalancer) leads to the management port. Covers every Service
 * of the workflow, so a new one cannot bring the port back.
 */
class ManagementPortExposureTest {

  static TurboCache cache(ServiceSpec.Type type) {
    TurboCache cr = MonitoredCaches.everything();
    cr.getSpec().server.service = new ServiceSpec();
    cr.getSpec().server.service.type = type;
    cr.getSpec().server.ingress = new IngressSpec();
    cr.getSpec().server.ingress.enabled = true;
    cr.getSpec().server.ingress.host = "turbo.example.com";
    cr.getSpec().networkPolicy = new NetworkPolicySpec();
    cr.getSpec().networkPolicy.enabled = true;
    return cr;
  }

  @ParameterizedTest
  @EnumSource(ServiceSpec.Type.class)
  void onlyAClusterIpServiceLeadsToTheManagementPort(ServiceSpec.Type type) {
    TurboCache cr = cache(type);
    List<HasMetadata> children = ExpectedChildren.of(cr, List.of(TestResources.tokensSecret(TestResources.TOKENS_YAML)));
    List<ContainerPort> containerPorts = children.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast)
        .findFirst().orElseThrow().getSpec().getTemplate().getSpec().getContainers().get(0).getPorts();
    List<Service> services = children.stream().filter(Service.class::isInstance).map(Service.class::cast).toList();

    assertThat(services).as("the clients' Service has the spec's type")
        .anySatisfy(s -> assertThat(s.getSpec().getType()).isEqualTo(type.name()));
    for (Service s : services) {
      List<Integer> reached = s.getSpec().getPorts().stream().map(p -> containerPort(p, containerPorts)).toList();
      if (!"ClusterIP".equals(type(s))) {
        assertThat(reached).as("container ports behind %s Service %s", type(s), s.getMetadata().getName())
            .doesNotContain(ServerConfig.MANAGEMENT_PORT);
        assertThat(s.getSpec().getPorts()).extracting(ServicePort::getName)
            .doesNotContain(ServerMetricsService.METRICS_PORT_NAME);
      }
    }
    assertThat(services).as("Prometheus still has a Service of the management port")
        .filteredOn(s -> "ClusterIP".equals(type(s)))
        .anySatisfy(s -> assertThat(s.getSpec().getPorts()).extracting(p -> containerPort(p, containerPorts))
            .contains(ServerConfig.MANAGEMENT_PORT));
  }

  /** A Service without a type is a ClusterIP. */
  static String type(Service s) {
    return s.getSpec().getType() == null ? "ClusterIP" : s.getSpec().getType();
  }

  /** The cache server's container port a Service port leads to (-1: a port of another component's pods). */
  static int containerPort(ServicePort p, List<ContainerPort> containerPorts) {
    IntOrString target = p.getTargetPort();
    if (target.getStrVal() == null) {
      return target.getIntVal();
    }
    return containerPorts.stream().filter(c -> target.getStrVal().equals(c.getName())).findFirst()
        .map(ContainerPort::getContainerPort).orElse(-1);
  }
}
