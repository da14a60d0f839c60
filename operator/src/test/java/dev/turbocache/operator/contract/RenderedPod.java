package dev.turbocache.operator.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.server.ServerConfigMap;
import dev.turbocache.operator.server.ServerDeployment;
import dev.turbocache.operator.server.ServerMetricsService;
import dev.turbocache.operator.server.ServerSecrets;
import dev.turbocache.operator.server.ServerService;
import dev.turbocache.server.app.CacheServer;
import dev.turbocache.server.config.ConfigLoader;
import dev.turbocache.server.config.TurboCacheConfig;
import dev.turbocache.server.testing.KubeletVolume;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The cache-server container of a rendered Deployment, laid out on the local disk so that the real
 * server can start with exactly what a pod would get. The mappings from the pod to this machine:
 *
 * <ul>
 *   <li><b>Filesystem</b>: container path {@code P} becomes {@code root + P}. Only volume mounts
 *       exist (the root filesystem is read-only in the pod): a ConfigMap volume gets its keys, a
 *       Secret volume its {@code items} (key to path, decoded), both laid out as the kubelet does
 *       (symlinks through {@code ..data}; {@code subPath} a plain file), an emptyDir or generic
 *       ephemeral volume an empty directory. {@link #sync} is the kubelet's sync of a changed
 *       ConfigMap or Secret.
 *   <li><b>Command</b>: must be {@code java -jar <server jar> serve --config <file>}. {@code serve}
 *       does {@code ConfigLoader.load(file, environment)} then {@code CacheServer.start}; {@link
 *       #load()} does the same in-process with the mapped file.
 *   <li><b>Environment</b>: the container's {@code TURBOCACHE_*} variables are the environment
 *       overrides: literal values, or {@code valueFrom.secretKeyRef} resolved from the given Secrets
 *       (which must hold the key, as the kubelet requires). Other variables ({@code
 *       JAVA_TOOL_OPTIONS}) configure the JVM of the container, not the server, and are not applied
 *       in-process.
 *   <li><b>Paths in the config</b>: every setting (from the file or an env variable) whose value is
 *       an absolute path must lie under a volume mount (else the pod could not read or write it),
 *       settings the server writes to under a writable one; each is overridden with its mapped
 *       path through the server's own {@code TURBOCACHE_*} mechanism.
 *   <li><b>Network</b>: {@code server.host} becomes {@code 127.0.0.1}, {@code server.port} and
 *       {@code server.managementPort} become {@code 0} (ephemeral ports), after checking the
 *       rendered ports are the container's ports named {@code http} and {@code metrics}; {@link
 *       #localPort} maps a container port to the started server's. {@code server.publicUrl} (the
 *       Ingress URL, only echoed back to clients) is kept.
 * </ul>
 */
final class RenderedPod {
  /** Settings the server writes to; they must be on a writable volume. */
  static final Set<String> WRITTEN_PATHS = Set.of("server.dataDir", "storage.disk.path", "storage.writeBack.queueDir");

  private static final YAMLMapper YAML = new YAMLMapper();

  final Container container;
  final Path root;
  final Path configFile;
  /** The environment given to ConfigLoader: container TURBOCACHE_* variables plus the mappings above. */
  final Map<String, String> env;
  /** The config file's settings after the container's env overrides, as dotted path to text. */
  final Map<String, String> renderedSettings;
  /** The pod's directory mounts of its ConfigMap and Secrets, which {@link #sync} gives new versions. */
  private final Map<Volume, KubeletVolume> syncedVolumes;

  private RenderedPod(Container container, Path root, Path configFile, Map<String, String> env, Map<String, String> rendered,
      Map<Volume, KubeletVolume> syncedVolumes) {
    this.container = container;
    this.syncedVolumes = syncedVolumes;
    this.root = root;
    this.configFile = configFile;
    this.env = env;
    this.renderedSettings = rendered;
  }

  /**
   * The server pod the operator renders for {@code cr}, with the Secrets a user creates for it
   * ({@link UserSecrets}), laid out under {@code root}.
   */
  static RenderedPod of(TurboCache cr, Path root) {
    List<Secret> secrets = UserSecrets.of(cr);
    return materialize(ServerDeployment.desired(cr, ServerSecrets.observe(cr, secrets)),
        ServerConfigMap.desired(cr), secrets, root);
  }

  /**
   * Lays out the pod under {@code root}; fails (AssertionError) where the pod could not work.
   *
   * @param secrets the Secrets of the namespace (volumes and env references are looked up by name)
   */
  static RenderedPod materialize(Deployment deployment, ConfigMap configMap, Collection<Secret> secrets, Path root) {
    Map<String, Secret> secretsByName = byName(secrets);
    var pod = deployment.getSpec().getTemplate().getSpec();
    Container c =
        pod.getContainers().stream()
            .filter(x -> x.getName().equals(ServerDeployment.CONTAINER_NAME))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no container " + ServerDeployment.CONTAINER_NAME));
    Map<String, Volume> volumes = new LinkedHashMap<>();
    pod.getVolumes().forEach(v -> volumes.put(v.getName(), v));
    Map<Volume, KubeletVolume> syncedVolumes = new LinkedHashMap<>();
    for (VolumeMount m : c.getVolumeMounts()) {
      Volume v = volumes.get(m.getName());
      assertThat(v).as("volume of mount %s", m.getName()).isNotNull();
      KubeletVolume synced = materialize(m, v, configMap, secretsByName, root);
      if (synced != null) {
        syncedVolumes.put(v, synced);
      }
    }

    // command and arguments, as the image's java would see them
    assertThat(c.getCommand()).as("container command").containsExactly("java", "-jar", ServerDeployment.SERVER_JAR);
    List<String> args = c.getArgs();
    assertThat(args).as("container args").hasSize(3);
    assertThat(args.get(0)).isEqualTo("serve");
    assertThat(args.get(1)).isIn("--config", "-c");
    Path configFile = map(root, args.get(2));
    assertThat(configFile).as("--config %s is mounted", args.get(2)).isRegularFile();

    Map<String, String> env = new LinkedHashMap<>();
    for (EnvVar e : c.getEnv()) {
      if (e.getName().startsWith(ConfigLoader.ENV_PREFIX)) {
        env.put(e.getName(), e.getValueFrom() == null ? e.getValue() : fromSecret(e, secretsByName));
      }
    }

    // settings as the server would see them: file, then the container's env overrides
    Map<String, String> settings = ConfigLoader.flatten(readYaml(configFile));
    Map<String, String> envToPath = new LinkedHashMap<>();
    new ConfigLoader().settings().keySet().forEach(p -> envToPath.put(ConfigLoader.envName(p), p));
    env.forEach((name, value) -> settings.put(envToPath.getOrDefault(name, name), value));

    for (Map.Entry<String, String> s : settings.entrySet()) {
      String value = s.getValue();
      if (value == null || !value.startsWith("/")) {
        continue;
      }
      VolumeMount mount = mountOf(c, value);
      assertThat(mount).as("%s=%s lies under a volume mount", s.getKey(), value).isNotNull();
      if (WRITTEN_PATHS.contains(s.getKey())) {
        assertThat(mount.getReadOnly()).as("%s=%s lies under a writable mount", s.getKey(), value).isNotEqualTo(Boolean.TRUE);
      }
      env.put(ConfigLoader.envName(s.getKey()), map(root, value).toString());
    }
    assertThat(settings.get("server.port")).as("server.port is the container port http")
        .isEqualTo(String.valueOf(containerPort(c, ServerService.HTTP_PORT_NAME)));
    assertThat(settings.get("server.managementPort")).as("server.managementPort is the container port metrics")
        .isEqualTo(String.valueOf(containerPort(c, ServerMetricsService.METRICS_PORT_NAME)));
    env.put(ConfigLoader.envName("server.host"), "127.0.0.1");
    env.put(ConfigLoader.envName("server.port"), "0");
    env.put(ConfigLoader.envName("server.managementPort"), "0");
    return new RenderedPod(c, root, configFile, env, settings, syncedVolumes);
  }

  private static int containerPort(Container c, String name) {
    return c.getPorts().stream().filter(p -> name.equals(p.getName())).findFirst()
        .orElseThrow(() -> new AssertionError("no container port named " + name)).getContainerPort();
  }

  /** Where {@code server}, started from {@link #load()}, listens for what the pod has on container port {@code port}. */
  int localPort(CacheServer server, int port) {
    if (port == containerPort(container, ServerService.HTTP_PORT_NAME)) {
      return server.port();
    }
    assertThat(port).as("a container port of the pod").isEqualTo(containerPort(container, ServerMetricsService.METRICS_PORT_NAME));
    return server.managementPort();
  }

  /** {@link #localPort(CacheServer, int)} of the container port named {@code name}. */
  int localPort(CacheServer server, String name) {
    return localPort(server, containerPort(container, name));
  }

  /** What {@code serve --config} loads in the pod, with the mappings applied. */
  TurboCacheConfig load() {
    return new ConfigLoader().load(configFile, env);
  }

  /** The decoded value of a {@code valueFrom.secretKeyRef}; other sources are not mapped. */
  private static String fromSecret(EnvVar e, Map<String, Secret> secrets) {
    SecretKeySelector ref = e.getValueFrom().getSecretKeyRef();
    assertThat(ref).as("%s: only literal values and secretKeyRef are mapped", e.getName()).isNotNull();
    Secret secret = secrets.get(ref.getName());
    assertThat(secret).as("%s: Secret %s", e.getName(), ref.getName()).isNotNull();
    Map<String, byte[]> data = secretData(secret);
    assertThat(data).as("%s: Secret %s", e.getName(), ref.getName()).containsKey(ref.getKey());
    return new String(data.get(ref.getKey()), StandardCharsets.UTF_8);
  }

  /**
   * One volume mount of a pod, laid out under {@code root}: a ConfigMap or Secret volume mounted as
   * a directory as the kubelet lays it out ({@link KubeletVolume}), with {@code subPath} a plain
   * file (which the kubelet never updates).
   *
   * @return the volume that {@link #sync} can give a new version, or null
   */
  static KubeletVolume materialize(VolumeMount m, Volume v, ConfigMap configMap, Map<String, Secret> secrets, Path root) {
    Path target = map(root, m.getMountPath());
    try {
      if (v.getConfigMap() == null && v.getSecret() == null) {
        assertThat(v.getEmptyDir() != null || v.getEphemeral() != null).as("volume %s is emptyDir or ephemeral", v.getName()).isTrue();
        Files.createDirectories(target);
        return null;
      }
      Map<String, byte[]> files = v.getConfigMap() != null ? configMapFiles(v, configMap) : secretFiles(v, secrets);
      if (m.getSubPath() != null && !m.getSubPath().isEmpty()) {
        assertThat(files).as("subPath %s of volume %s", m.getSubPath(), v.getName()).containsKey(m.getSubPath());
        Files.createDirectories(target.getParent());
        Files.write(target, files.get(m.getSubPath()));
        return null;
      }
      return KubeletVolume.create(target, files);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, byte[]> configMapFiles(Volume v, ConfigMap configMap) {
    assertThat(v.getConfigMap().getName()).as("ConfigMap of volume %s", v.getName()).isEqualTo(configMap.getMetadata().getName());
    Map<String, byte[]> files = new LinkedHashMap<>();
    Map<String, String> data = configMap.getData();
    select(v.getConfigMap().getItems(), data.keySet()).forEach((key, path) -> {
      assertThat(data).as("ConfigMap %s", configMap.getMetadata().getName()).containsKey(key);
      files.put(path, data.get(key).getBytes(StandardCharsets.UTF_8));
    });
    return files;
  }

  private static Map<String, byte[]> secretFiles(Volume v, Map<String, Secret> secrets) {
    Secret secret = secrets.get(v.getSecret().getSecretName());
    assertThat(secret).as("Secret %s of volume %s", v.getSecret().getSecretName(), v.getName()).isNotNull();
    Map<String, byte[]> files = new LinkedHashMap<>();
    Map<String, byte[]> data = secretData(secret);
    select(v.getSecret().getItems(), data.keySet()).forEach((key, path) -> {
      assertThat(data).as("Secret %s", secret.getMetadata().getName()).containsKey(key);
      files.put(path, data.get(key));
    });
    return files;
  }

  /**
   * The kubelet's sync of the pod's volumes after their ConfigMap or Secrets changed: every one
   * mounted as a directory gets the new version (one swap of {@code ..data}); {@code subPath}
   * mounts keep what the pod started with.
   */
  void sync(ConfigMap configMap, Collection<Secret> secrets) {
    Map<String, Secret> byName = byName(secrets);
    syncedVolumes.forEach((v, volume) ->
        volume.update(v.getConfigMap() != null ? configMapFiles(v, configMap) : secretFiles(v, byName)));
  }

  private static Map<String, Secret> byName(Collection<Secret> secrets) {
    Map<String, Secret> byName = new LinkedHashMap<>();
    secrets.forEach(s -> byName.put(s.getMetadata().getName(), s));
    return byName;
  }

  /** Key to file name: the volume's items, else every key under its own name. */
  private static Map<String, String> select(List<KeyToPath> items, Set<String> keys) {
    Map<String, String> out = new LinkedHashMap<>();
    if (items == null || items.isEmpty()) {
      keys.forEach(k -> out.put(k, k));
    } else {
      items.forEach(i -> out.put(i.getKey(), i.getPath()));
    }
    return out;
  }

  static Map<String, byte[]> secretData(Secret secret) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    if (secret.getStringData() != null) {
      secret.getStringData().forEach((k, v) -> out.put(k, v.getBytes(StandardCharsets.UTF_8)));
    }
    if (secret.getData() != null) {
      secret.getData().forEach((k, v) -> out.put(k, Base64.getDecoder().decode(v)));
    }
    return out;
  }

  /** The mount holding container path {@code path}, the longest match, or null. */
  private static VolumeMount mountOf(Container c, String path) {
    VolumeMount best = null;
    for (VolumeMount m : c.getVolumeMounts()) {
      String mp = m.getMountPath();
      boolean under = path.equals(mp) || path.startsWith(mp.endsWith("/") ? mp : mp + "/");
      if (under && (best == null || mp.length() > best.getMountPath().length())) {
        best = m;
      }
    }
    return best;
  }

  /** Container path to local path. */
  static Path map(Path root, String containerPath) {
    assertThat(containerPath).as("container path").startsWith("/");
    return root.resolve(containerPath.substring(1)).normalize();
  }

  private static JsonNode readYaml(Path file) {
    try {
      return YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
