package dev.turbocache.operator.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One pod of a rendered Redis or sentinel StatefulSet, run on this machine as the kubelet would run
 * its container. The mappings from the pod to this machine:
 *
 * <ul>
 *   <li><b>Network</b>: the pod gets its own loopback address ({@code 127.0.x.y}; all of 127/8 is
 *       local), which is what {@code status.podIP} resolves to, and every pod DNS name or Service
 *       name in its environment becomes the address of that pod (a Service: its first pod).
 *   <li><b>Filesystem</b>: container path {@code P} becomes {@code root/P}, volumes laid out as in
 *       {@link RenderedPod}; environment values under a mount are mapped the same way.
 *   <li><b>Environment</b>: literal values, {@code secretKeyRef} (decoded), {@code fieldRef}
 *       {@code metadata.name} and {@code status.podIP}, and {@code $(VAR)} references to earlier
 *       variables, expanded as Kubernetes does.
 *   <li><b>Command</b>: the container's command, with its script path mapped; {@code redis-server}
 *       and {@code redis-cli} come from the PATH (the official image has the same programs).
 * </ul>
 */
final class RenderedRedisPod implements AutoCloseable {
  private static final Pattern REFERENCE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

  final String name;
  final String ip;
  final Container container;
  final Path root;
  final Map<String, String> env;
  final List<String> command;
  private final Path log;
  private Process process;

  private RenderedRedisPod(String name, String ip, Container container, Path root, Map<String, String> env,
      List<String> command) {
    this.name = name;
    this.ip = ip;
    this.container = container;
    this.root = root;
    this.env = env;
    this.command = command;
    this.log = root.resolve("container.log");
  }

  /**
   * @param hosts every pod DNS name and Service name of the set, to the loopback address standing in for it
   */
  static RenderedRedisPod materialize(StatefulSet set, int ordinal, String ip, ConfigMap configMap, List<Secret> secrets,
      Map<String, String> hosts, Path root) {
    String name = set.getMetadata().getName() + "-" + ordinal;
    var pod = set.getSpec().getTemplate().getSpec();
    assertThat(pod.getContainers()).as("%s has one container", name).hasSize(1);
    Container c = pod.getContainers().get(0);
    Map<String, Secret> secretsByName = new LinkedHashMap<>();
    secrets.forEach(s -> secretsByName.put(s.getMetadata().getName(), s));
    Map<String, Volume> volumes = new LinkedHashMap<>();
    pod.getVolumes().forEach(v -> volumes.put(v.getName(), v));
    for (VolumeMount m : c.getVolumeMounts()) {
      Volume v = volumes.get(m.getName());
      if (v == null) {
        // a volumeClaimTemplate: an empty directory, as a fresh PVC
        assertThat(set.getSpec().getVolumeClaimTemplates()).extracting(t -> t.getMetadata().getName()).contains(m.getName());
        mkdirs(RenderedPod.map(root, m.getMountPath()));
      } else {
        RenderedPod.materialize(m, v, configMap, secretsByName, root);
      }
    }
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvVar e : c.getEnv()) {
      String value;
      if (e.getValueFrom() == null) {
        value = expand(e.getValue(), env);
      } else if (e.getValueFrom().getSecretKeyRef() != null) {
        var ref = e.getValueFrom().getSecretKeyRef();
        Secret secret = secretsByName.get(ref.getName());
        assertThat(secret).as("%s: Secret %s", e.getName(), ref.getName()).isNotNull();
        value = new String(RenderedPod.secretData(secret).get(ref.getKey()), StandardCharsets.UTF_8);
      } else {
        String field = e.getValueFrom().getFieldRef().getFieldPath();
        value = switch (field) {
          case "metadata.name" -> name;
          case "status.podIP" -> ip;
          default -> throw new AssertionError(e.getName() + ": fieldRef " + field + " is not mapped");
        };
      }
      env.put(e.getName(), value);
    }
    env.replaceAll((k, v) -> mapPaths(c, root, mapHosts(v, hosts)));
    List<String> command = new ArrayList<>();
    for (String part : c.getCommand()) {
      command.add(mapPaths(c, root, part));
    }
    assertThat(command).as("%s command", name).first().isEqualTo("sh");
    assertThat(Path.of(command.get(1))).as("%s start script is mounted", name).isRegularFile();
    return new RenderedRedisPod(name, ip, c, root, env, command);
  }

  /** Starts the container's command (again, after a kill: a restarted container, same volumes). */
  synchronized void start() {
    assertThat(process == null || !process.isAlive()).as("%s is not running", name).isTrue();
    try {
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      pb.environment().clear();
      pb.environment().put("PATH", System.getenv("PATH"));
      pb.environment().putAll(env);
      process = pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** SIGKILL, as a crashed node or an OOM kill does. */
  synchronized void kill() {
    if (process != null && process.isAlive()) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  synchronized boolean running() {
    return process != null && process.isAlive();
  }

  /** Runs one of the container's exec probes (its command, mapped) and says whether it passed. */
  boolean probe(Probe probe) {
    List<String> cmd = probe.getExec().getCommand().stream().map(p -> mapPaths(container, root, p)).toList();
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
      pb.environment().clear();
      pb.environment().put("PATH", System.getenv("PATH"));
      pb.environment().putAll(env);
      Process p = pb.start();
      if (!p.waitFor(probe.getTimeoutSeconds() + 5L, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return false;
      }
      return p.exitValue() == 0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  String log() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  @Override
  public void close() {
    kill();
  }

  static String expand(String value, Map<String, String> earlier) {
    if (value == null) {
      return "";
    }
    Matcher m = REFERENCE.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String ref = earlier.get(m.group(1));
      m.appendReplacement(out, Matcher.quoteReplacement(ref != null ? ref : m.group()));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String mapHosts(String value, Map<String, String> hosts) {
    String out = value;
    // longest names first, so that a pod name is not cut by the Service name it starts with
    for (Map.Entry<String, String> h : hosts.entrySet().stream()
        .sorted((a, b) -> b.getKey().length() - a.getKey().length()).toList()) {
      out = out.replace(h.getKey(), h.getValue());
    }
    return out;
  }

  private static String mapPaths(Container c, Path root, String value) {
    for (VolumeMount m : c.getVolumeMounts()) {
      if (value.equals(m.getMountPath()) || value.startsWith(m.getMountPath() + "/")) {
        return RenderedPod.map(root, value).toString();
      }
    }
    return value;
  }

  private static void mkdirs(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
