package dev.turbocache.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Entry point of the operator jar. Configuration: see {@link OperatorSettings}. */
public final class OperatorMain {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorMain.class);

  private OperatorMain() {}

  public static void main(String[] args) throws Exception {
    OperatorSettings settings = OperatorSettings.fromEnv(System.getenv());
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);

    KubernetesClient client = new KubernetesClientBuilder().build();
    Optional<String> unreachable = ApiServerCheck.problem(client.getConfiguration());
    if (unreachable.isPresent()) {
      LOG.error(unreachable.get());
      System.exit(1);
    }
    Operator operator = TurboCacheOperator.create(client, settings, MicrometerMetrics.withoutPerResourceMetrics(registry),
        TurboCacheOperator.Externals.of(client, settings, registry));
    OperatorHttpServer http = OperatorHttpServer.start(settings.httpPort(), operator, registry);
    Runtime.getRuntime().addShutdownHook(new Thread(http::close, "operator-http-stop"));
    operator.installShutdownHook(Duration.ofSeconds(30));
    LOG.info(
        "Starting TurboCache operator: namespaces={}, leaderElection={} (Lease {}/{}), serverSideApply={}, http port {},"
            + " Managed buckets: AWS credentials {}, resync every {}",
        settings.watchAllNamespaces() ? "all" : settings.watchOwnNamespace() ? "own" : settings.watchNamespaces(),
        settings.leaderElection(),
        TurboCacheOperator.ownNamespace(settings, client),
        settings.leaseName(),
        settings.serverSideApply(),
        http.port(),
        settings.awsCredentialsSecret() == null ? "from the default chain" : "from Secret " + settings.awsCredentialsSecret(),
        settings.bucketResync());
    operator.start();
  }
}
