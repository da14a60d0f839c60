package dev.turbocache.operator.helm;

import dev.turbocache.operator.kubeapi.Kubeconfig;
import dev.turbocache.operator.kubeapi.OperatorIdentity;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What a kubelet would run for the operator Deployment the chart installed, run here as a process
 * (the API server has no kubelet): the packaged jar, as the image's entrypoint starts it, with the
 * container's environment as rendered (the downward API resolved) and the ServiceAccount's token in
 * place of the mounted one. Only the HTTP port differs: a pod has a network of its own, a process
 * shares the machine's, so a free port replaces the rendered one.
 */
public final class OperatorPod implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final Process process;
  private final Path log;
  private final Path kubeconfig;
  private final int port;
  private final Deployment deployment;

  private OperatorPod(Process process, Path log, Path kubeconfig, int port, Deployment deployment) {
    this.process = process;
    this.log = log;
    this.kubeconfig = kubeconfig;
    this.port = port;
    this.deployment = deployment;
  }

  /**
   * The operator container's environment: plain values, and the downward API's namespace (the only
   * field reference the chart uses). Other references (Secrets in extraEnv) need a kubelet and are
   * left out.
   */
  public static Map<String, String> environment(Deployment d) {
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvVar e : container(d).getEnv()) {
      if (e.getValue() != null) {
        env.put(e.getName(), e.getValue());
      } else if (e.getValueFrom() != null && e.getValueFrom().getFieldRef() != null) {
        String field = e.getValueFrom().getFieldRef().getFieldPath();
        if (!field.equals("metadata.namespace")) {
          throw new IllegalArgumentException("unsupported field reference " + field + " of " + e.getName());
        }
        env.put(e.getName(), d.getMetadata().getNamespace());
      }
    }
    return env;
  }

  static Container container(Deployment d) {
    List<Container> containers = d.getSpec().getTemplate().getSpec().getContainers();
    if (containers.size() != 1) {
      throw new AssertionError("the operator pod has one container: " + containers);
    }
    return containers.get(0);
  }

  /** Starts the container of {@code d} as {@code identity} (its ServiceAccount's token). */
  public static OperatorPod start(Deployment d, OperatorIdentity identity) {
    Path jar = Path.of(System.getProperty("turbocache.operator.jar", "target/turbocache-operator.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("no packaged operator jar at " + jar + " (./mvnw verify packages it first)");
    }
    try {
      int port = freePort();
      // no context namespace: like in a pod, POD_NAMESPACE alone says where the operator lives
      Path kubeconfig = Kubeconfig.write(identity, null);
      Path log = Files.createTempFile("operator-pod-", ".log");
      ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
          jar.toString()).redirectErrorStream(true).redirectOutput(log.toFile());
      // only what the pod would have: nothing of the build's own environment that the operator reads
      pb.environment().keySet().removeIf(k -> k.startsWith("TURBOCACHE_") || k.equals("POD_NAMESPACE"));
      pb.environment().putAll(environment(d));
      pb.environment().put("TURBOCACHE_HTTP_PORT", Integer.toString(port));
      pb.environment().put("KUBECONFIG", kubeconfig.toString());
      pb.environment().put("HOSTNAME", d.getMetadata().getName() + "-pod");
      return new OperatorPod(pb.start(), log, kubeconfig, port, d);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** The identity the leader writes into the Lease (the pod's name, as HOSTNAME in a pod). */
  public String hostname() {
    return deployment.getMetadata().getName() + "-pod";
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** HTTP status of a GET of the container's readiness probe, or -1 while nothing listens. */
  public int readiness() {
    return get(container(deployment).getReadinessProbe().getHttpGet().getPath());
  }

  public int liveness() {
    return get(container(deployment).getLivenessProbe().getHttpGet().getPath());
  }

  private int get(String path) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5))
          .GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  public String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  @Override
  public void close() throws IOException, InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    Files.deleteIfExists(log);
    Files.deleteIfExists(kubeconfig);
  }
}
