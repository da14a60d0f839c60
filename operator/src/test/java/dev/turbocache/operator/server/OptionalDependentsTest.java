package dev.turbocache.operator.server;

import static dev.turbocache.operator.TestResources.minimal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.api.v1alpha1.spec.AutoscalingSpec;
import dev.turbocache.operator.api.v1alpha1.spec.IngressSpec;
import dev.turbocache.operator.api.v1alpha1.spec.MonitoringSpec;
import dev.turbocache.operator.api.v1alpha1.spec.NetworkPolicySpec;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import dev.turbocache.operator.api.v1alpha1.spec.PodDisruptionBudgetSpec;
import dev.turbocache.operator.api.v1alpha1.spec.ServerSpec;
import dev.turbocache.operator.TestResources;
import dev.turbocache.operator.model.Labels;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Ingress, HPA, PDB and NetworkPolicy: each on and off. */
class OptionalDependentsTest {

  static boolean met(io.javaoperatorsdk.operator.processing.dependent.workflow.Condition<?, TurboCache> c, TurboCache cr) {
    return c.isMet(null, cr, null);
  }

  @Test
  void ingressOffByDefault() {
    TurboCache cr = minimal();
    assertThat(met(new ServerIngress.Enabled(), cr)).isFalse();
    cr.getSpec().server = new ServerSpec();
    cr.getSpec().server.ingress = new IngressSpec();
    cr.getSpec().server.ingress.host = "turbo.example.com";
    assertThat(met(new ServerIngress.Enabled(), cr)).as("host alone does not enable it").isFalse();
    assertThatThrownBy(() -> ServerIngress.desired(cr)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void theUsersIngressAnnotationsOverrideTheOperators() {
    TurboCache cr = minimal();
    cr.getSpec().server = new ServerSpec();
    cr.getSpec().server.ingress = new IngressSpec();
    cr.getSpec().server.ingress.enabled = true;
    cr.getSpec().server.ingress.host = "turbo.example.com";
    cr.getSpec().server.ingress.annotations = Map.of("nginx.ingress.kubernetes.io/proxy-body-size", "512m",
        "cert-manager.io/cluster-issuer", "letsencrypt");
    assertThat(ServerIngress.desired(cr).getMetadata().getAnnotations())
        .containsEntry("nginx.ingress.kubernetes.io/proxy-body-size", "512m")
        .containsEntry("nginx.ingress.kubernetes.io/proxy-request-buffering", "off")
        .containsEntry("cert-manager.io/cluster-issuer", "letsencrypt");
  }

  @Test
  void ingressRoutesToTheHttpPort() {
    TurboCache cr = minimal();
    cr.getSpec().server = new ServerSpec();
    cr.getSpec().server.ingress = new IngressSpec();
    cr.getSpec().server.ingress.enabled = true;
    cr.getSpec().server.ingress.className = "nginx";
    cr.getSpec().server.ingress.host = "turbo.example.com";
    assertThat(met(new ServerIngress.Enabled(), cr)).isTrue();
    var ing = ServerIngress.desired(cr);
    assertThat(ing.getSpec().getIngressClassName()).isEqualTo("nginx");
    assertThat(ing.getMetadata().getAnnotations()).as("ingress-nginx passes any size, streaming")
        .containsEntry("nginx.ingress.kubernetes.io/proxy-body-size", "0")
        .containsEntry("nginx.ingress.kubernetes.io/proxy-request-buffering", "off");
    var rule = ing.getSpec().getRules().get(0);
    assertThat(rule.getHost()).isEqualTo("turbo.example.com");
    var path = rule.getHttp().getPaths().get(0);
    assertThat(path.getPath()).isEqualTo("/");
    assertThat(path.getBackend().getService().getName()).isEqualTo("monorepo");
    assertThat(path.getBackend().getService().getPort().getName()).isEqualTo("http");
    assertThat(ing.getSpec().getTls()).isNullOrEmpty();

    // Ingress backend -> Service port -> container port: the clients' port, never the management port
    var servicePort = ServerService.desired(cr).getSpec().getPorts().stream()
        .filter(p -> p.getName().equals(path.getBackend().getService().getPort().getName())).findFirst().orElseThrow();
    var containerPort = ServerDeployment.desired(cr, TestResources.tokens(cr, "tokens: []\n")).getSpec().getTemplate().getSpec()
        .getContainers().get(0).getPorts().stream().filter(p -> p.getName().equals(servicePort.getTargetPort().getStrVal()))
        .findFirst().orElseThrow();
    assertThat(containerPort.getContainerPort()).isEqualTo(ServerConfig.PORT).isNotEqualTo(ServerConfig.MANAGEMENT_PORT);

    cr.getSpec().server.ingress.tls = new IngressSpec.Tls();
    cr.getSpec().server.ingress.tls.secretName = "turbo-tls";
    assertThat(ServerIngress.desired(cr).getSpec().getTls()).singleElement().satisfies(t -> {
      assertThat(t.getSecretName()).isEqualTo("turbo-tls");
      assertThat(t.getHosts()).containsExactly("turbo.example.com");
    });
  }

  @Test
  void autoscalerOnlyWithAutoscaling() {
    TurboCache cr = minimal();
    assertThat(met(new ServerAutoscaler.Enabled(), cr)).isFalse();
    cr.getSpec().server = new ServerSpec();
    cr.getSpec().server.autoscaling = new AutoscalingSpec();
    cr.getSpec().server.autoscaling.maxReplicas = 8;
    assertThat(met(new ServerAutoscaler.Enabled(), cr)).isTrue();
    var hpa = ServerAutoscaler.desired(cr);
    assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
    assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo("monorepo");
    assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(2);
    assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(8);
    assertThat(hpa.getSpec().getMetrics()).singleElement()
        .satisfies(m -> assertThat(m.getResource().getTarget().getAverageUtilization()).isEqualTo(75));
    cr.getSpec().server.autoscaling.minReplicas = 3;
    cr.getSpec().server.autoscaling.targetCPUUtilizationPercentage = 60;
    hpa = ServerAutoscaler.desired(cr);
    assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(3);
    assertThat(hpa.getSpec().getMetrics().get(0).getResource().getTarget().getAverageUtilization()).isEqualTo(60);
  }

  @Test
  void disruptionBudgetOnByDefaultWithMaxUnavailableOne() {
    TurboCache cr = minimal();
    assertThat(met(new ServerDisruptionBudget.Enabled(), cr)).isTrue();
    var pdb = ServerDisruptionBudget.desired(cr);
    assertThat(pdb.getSpec().getMaxUnavailable()).isEqualTo(new IntOrString(1));
    assertThat(pdb.getSpec().getMinAvailable()).isNull();
    assertThat(pdb.getSpec().getSelector().getMatchLabels()).isEqualTo(Labels.selector(cr, Labels.Component.CACHE_SERVER));

    cr.getSpec().podDisruptionBudget = new PodDisruptionBudgetSpec();
    cr.getSpec().podDisruptionBudget.minAvailable = new IntOrString("50%");
    pdb = ServerDisruptionBudget.desired(cr);
    assertThat(pdb.getSpec().getMinAvailable()).isEqualTo(new IntOrString("50%"));
    assertThat(pdb.getSpec().getMaxUnavailable()).isNull();

    cr.getSpec().podDisruptionBudget.enabled = false;
    assertThat(met(new ServerDisruptionBudget.Enabled(), cr)).isFalse();
  }

  @Test
  void networkPolicyOffByDefaultAndOpenToTheNamespaceWhenEnabled() {
    TurboCache cr = minimal();
    assertThat(met(new ServerNetworkPolicy.Enabled(), cr)).isFalse();
    cr.getSpec().networkPolicy = new NetworkPolicySpec();
    cr.getSpec().networkPolicy.enabled = true;
    assertThat(met(new ServerNetworkPolicy.Enabled(), cr)).isTrue();
    var np = ServerNetworkPolicy.desired(cr);
    assertThat(np.getSpec().getPodSelector().getMatchLabels()).isEqualTo(Labels.selector(cr, Labels.Component.CACHE_SERVER));
    assertThat(np.getSpec().getPolicyTypes()).containsExactly("Ingress");
    var rule = np.getSpec().getIngress().get(0);
    assertThat(rule.getPorts()).singleElement().satisfies(p -> assertThat(p.getPort().getIntVal()).isEqualTo(8080));
    assertThat(rule.getFrom()).singleElement().satisfies(p -> {
      assertThat(p.getPodSelector()).isNotNull();
      assertThat(p.getNamespaceSelector()).isNull();
    });

    cr.getSpec().networkPolicy.from =
        List.of(new NetworkPolicyPeerBuilder().withNewNamespaceSelector().addToMatchLabels("ci", "true").endNamespaceSelector().build());
    assertThat(ServerNetworkPolicy.desired(cr).getSpec().getIngress().get(0).getFrom())
        .singleElement()
        .satisfies(p -> assertThat(p.getNamespaceSelector().getMatchLabels()).containsEntry("ci", "true"));
  }

  @Test
  void networkPolicyLetsOnlyTheScrapingNamespaceReachTheMetricsPort() {
    TurboCache cr = minimal();
    cr.getSpec().networkPolicy = new NetworkPolicySpec();
    cr.getSpec().networkPolicy.enabled = true;
    var rules = ServerNetworkPolicy.desired(cr).getSpec().getIngress();
    assertThat(rules).hasSize(2);
    assertThat(rules.get(1).getPorts()).singleElement()
        .satisfies(p -> assertThat(p.getPort().getIntVal()).isEqualTo(ServerConfig.MANAGEMENT_PORT).isEqualTo(9090));
    assertThat(rules.get(0).getPorts()).as("the cache's clients get the clients' port only").singleElement()
        .satisfies(p -> assertThat(p.getPort().getIntVal()).isEqualTo(ServerConfig.PORT).isNotEqualTo(ServerConfig.MANAGEMENT_PORT));
    assertThat(rules.get(1).getFrom()).singleElement().satisfies(p -> {
      assertThat(p.getPodSelector()).as("every pod of the scraping namespace").isNull();
      assertThat(p.getNamespaceSelector().getMatchLabels()).containsExactly(Map.entry("kubernetes.io/metadata.name", "monitoring"));
    });

    cr.getSpec().monitoring = new MonitoringSpec();
    cr.getSpec().monitoring.scraperNamespaceSelector = new LabelSelectorBuilder().addToMatchLabels("team", "observability").build();
    assertThat(ServerNetworkPolicy.desired(cr).getSpec().getIngress().get(1).getFrom()).singleElement()
        .satisfies(p -> assertThat(p.getNamespaceSelector().getMatchLabels()).containsExactly(Map.entry("team", "observability")));
  }
}
