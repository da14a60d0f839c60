package dev.turbocache.operator.server;

import static dev.turbocache.operator.TestResources.minimal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.api.v1alpha1.spec.S3CredentialsSpec;
import dev.turbocache.operator.api.v1alpha1.spec.S3TierSpec;
import dev.turbocache.operator.api.v1alpha1.spec.ServerSpec;
import dev.turbocache.operator.api.v1alpha1.spec.ServiceSpec;
import dev.turbocache.operator.api.v1alpha1.spec.TiersSpec;
import dev.turbocache.operator.model.Labels;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ServiceAccount, ConfigMap and the two Services: the children that always exist. */
class SimpleDependentsTest {

  @Test
  void serviceAccountWithoutRoleHasNoIrsaAnnotation() {
    var sa = ServerServiceAccount.desired(minimal());
    assertThat(sa.getMetadata().getName()).isEqualTo("monorepo");
    assertThat(sa.getMetadata().getAnnotations()).isNullOrEmpty();
    assertThat(sa.getMetadata().getLabels()).containsEntry(Labels.MANAGED_BY, Labels.OPERATOR).doesNotContainKey("team");
    assertThat(sa.getAutomountServiceAccountToken()).isFalse();
  }

  @Test
  void serviceAccountCarriesTheIrsaRole() {
    TurboCache cr = minimal();
    cr.getSpec().tiers = new TiersSpec();
    cr.getSpec().tiers.s3 = new S3TierSpec();
    cr.getSpec().tiers.s3.bucket = "acme-turbo-cache";
    cr.getSpec().tiers.s3.credentials = new S3CredentialsSpec();
    cr.getSpec().tiers.s3.credentials.roleArn = "arn:aws:iam::123456789012:role/turbo";
    assertThat(ServerServiceAccount.desired(cr).getMetadata().getAnnotations())
        .containsExactly(Map.entry("eks.amazonaws.com/role-arn", "arn:aws:iam::123456789012:role/turbo"));
  }

  @Test
  void configMapHoldsTheRenderedConfig() {
    TurboCache cr = minimal();
    var cm = ServerConfigMap.desired(cr);
    assertThat(cm.getMetadata().getName()).isEqualTo("monorepo-config");
    assertThat(cm.getMetadata().getLabels()).containsEntry(Labels.COMPONENT, "cache-server");
    assertThat(cm.getData()).containsExactly(Map.entry("config.yaml", ServerConfig.render(cr)));
  }

  @Test
  void serviceHasOnlyTheNamedHttpPort() {
    var svc = ServerService.desired(minimal());
    assertThat(svc.getMetadata().getName()).isEqualTo("monorepo");
    assertThat(svc.getSpec().getType()).isEqualTo("ClusterIP");
    assertThat(svc.getSpec().getSelector()).isEqualTo(Labels.selector(minimal(), Labels.Component.CACHE_SERVER));
    assertThat(svc.getSpec().getPorts()).singleElement().satisfies(p -> {
      assertThat(p.getName()).isEqualTo("http");
      assertThat(p.getPort()).isEqualTo(80);
      assertThat(p.getTargetPort().getStrVal()).isEqualTo("http");
    });
  }

  @Test
  void metricsServiceIsAClusterIpOverTheManagementPortOfTheSamePods() {
    TurboCache cr = minimal();
    var svc = ServerMetricsService.desired(cr);
    assertThat(svc.getMetadata().getName()).isEqualTo("monorepo-metrics");
    assertThat(svc.getMetadata().getLabels()).containsAllEntriesOf(Labels.of(cr, Labels.Component.CACHE_SERVER))
        .containsEntry(Labels.SERVICE, Labels.METRICS_SERVICE);
    assertThat(svc.getSpec().getType()).isEqualTo("ClusterIP");
    assertThat(svc.getSpec().getSelector()).isEqualTo(ServerService.desired(cr).getSpec().getSelector());
    assertThat(svc.getSpec().getPorts()).singleElement().satisfies(p -> {
      assertThat(p.getName()).isEqualTo("metrics");
      assertThat(p.getPort()).isEqualTo(9090);
      assertThat(p.getTargetPort().getStrVal()).isEqualTo("metrics");
    });
  }

  @Test
  void serviceTypePortAndAnnotationsFromSpecLeaveTheMetricsServiceAlone() {
    TurboCache cr = minimal();
    cr.getSpec().server = new ServerSpec();
    cr.getSpec().server.service = new ServiceSpec();
    cr.getSpec().server.service.type = ServiceSpec.Type.LoadBalancer;
    cr.getSpec().server.service.port = 9090;
    cr.getSpec().server.service.annotations = Map.of("service.beta.kubernetes.io/aws-load-balancer-internal", "true");
    var svc = ServerService.desired(cr);
    assertThat(svc.getSpec().getType()).isEqualTo("LoadBalancer");
    assertThat(svc.getSpec().getPorts()).extracting(ServicePort::getName, ServicePort::getPort)
        .containsExactly(tuple("http", 9090));
    assertThat(svc.getMetadata().getAnnotations()).containsKey("service.beta.kubernetes.io/aws-load-balancer-internal");

    var metrics = ServerMetricsService.desired(cr);
    assertThat(metrics.getSpec().getType()).isEqualTo("ClusterIP");
    assertThat(metrics.getSpec().getPorts()).extracting(ServicePort::getPort).containsExactly(9090);
    assertThat(metrics.getMetadata().getAnnotations()).as("load balancer annotations are the clients' Service's").isNullOrEmpty();
  }
}
