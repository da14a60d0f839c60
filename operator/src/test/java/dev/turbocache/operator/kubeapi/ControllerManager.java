package dev.turbocache.operator.kubeapi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * kube-controller-manager of the same Kubernetes build, running only the controllers a test asks
 * for. Garbage collection (children owned by a deleted TurboCache go away) is what the tests need;
 * the workload controllers stay off so that the tests can play the kubelet and the Deployment
 * controller by writing object status themselves without being overwritten.
 */
public final class ControllerManager implements AutoCloseable {
  private final Process process;
  private final Path log;

  private ControllerManager(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  public static ControllerManager start(RealApiServer api, String... controllers) {
    Path binary = RealApiServer.binaryDirectory().resolve("kube-controller-manager");
    if (!Files.isExecutable(binary)) {
      throw new IllegalStateException("no kube-controller-manager in " + binary.getParent()
          + ": install it with ../shared/kube/install.sh (CI's .ci/run does)");
    }
    try {
      Path log = Files.createTempFile("kube-controller-manager-", ".log");
      Process process = new ProcessBuilder(List.of(
              binary.toString(),
              "--kubeconfig", api.kubeconfigFile().toString(),
              "--leader-elect=false",
              "--use-service-account-credentials=false",
              "--bind-address=127.0.0.1",
              "--secure-port=0",
              "--controllers=" + String.join(",", controllers),
              "--v=1"))
          .redirectErrorStream(true)
          .redirectOutput(log.toFile())
          .start();
      return new ControllerManager(process, log);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + binary, e);
    }
  }

  /** The process output, for a failing test's message. */
  public String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  @Override
  public void close() throws IOException, InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    Files.deleteIfExists(log);
  }
}
