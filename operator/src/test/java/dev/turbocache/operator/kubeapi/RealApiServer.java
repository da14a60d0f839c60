package dev.turbocache.operator.kubeapi;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A real kube-apiserver with its etcd (io.fabric8:kube-api-test), the Kubernetes version we support
 * as the oldest. It runs the binaries that {@code ../shared/kube/install.sh} lays out where
 * kube-api-test looks first; without them kube-api-test downloads its own (needs internet), and
 * when that fails too the suite fails with a message naming the install step instead of skipping.
 */
public final class RealApiServer implements AutoCloseable {
  /** The oldest Kubernetes we support: CRD features (CEL rules) must work here. */
  public static final String VERSION = "1.26.9";

  private final KubeAPIServer server;
  private final String kubeconfigYaml;
  private final Path kubeconfigFile;
  private final KubernetesClient admin;

  private RealApiServer(KubeAPIServer server, String kubeconfigYaml, Path kubeconfigFile) {
    this.server = server;
    this.kubeconfigYaml = kubeconfigYaml;
    this.kubeconfigFile = kubeconfigFile;
    this.admin = new KubernetesClientBuilder().withConfig(config()).build();
  }

  /** The directory kube-api-test looks in before downloading. */
  public static Path binaryDirectory() {
    return Path.of(System.getProperty("user.home"), ".kubeapitest", "k8s", VERSION + "-linux-amd64");
  }

  static boolean binariesInstalled() {
    Path dir = binaryDirectory();
    return List.of("kube-apiserver", "etcd", "kubectl").stream().allMatch(b -> Files.isExecutable(dir.resolve(b)));
  }

  public static RealApiServer start() {
    boolean offline = binariesInstalled();
    KubeAPIServer server = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig()
        .withApiServerVersion(VERSION)
        .withOfflineMode(offline)
        .withUpdateKubeConfig(false)
        .build());
    try {
      server.start();
    } catch (RuntimeException e) {
      // a start that timed out leaves etcd and kube-apiserver running: stop them
      try {
        server.stop();
      } catch (RuntimeException stopFailed) {
        e.addSuppressed(stopFailed);
      }
      throw new IllegalStateException("could not start a Kubernetes " + VERSION + " API server"
          + (offline ? " from " + binaryDirectory() : " (no binaries in " + binaryDirectory() + ", and the download failed)")
          + ": install them with ../shared/kube/install.sh (CI's .ci/run does), or give kube-api-test internet access"
          + " to download its own", e);
    }
    try {
      String yaml = server.getKubeConfigYaml();
      Path file = Files.createTempFile("kubeapi-", ".kubeconfig");
      Files.writeString(file, yaml, StandardCharsets.UTF_8);
      return new RealApiServer(server, yaml, file);
    } catch (IOException e) {
      server.stop();
      throw new UncheckedIOException(e);
    }
  }

  /** Client configuration of the cluster admin (system:masters). */
  public Config config() {
    return Config.fromKubeconfig(kubeconfigYaml);
  }

  /** A client of the cluster admin, owned by this fixture. */
  public KubernetesClient admin() {
    return admin;
  }

  /** The admin kubeconfig as a file (for processes: kubectl, the controller manager, the operator jar). */
  public Path kubeconfigFile() {
    return kubeconfigFile;
  }

  @Override
  public void close() throws IOException {
    admin.close();
    server.stop();
    Files.deleteIfExists(kubeconfigFile);
  }
}
