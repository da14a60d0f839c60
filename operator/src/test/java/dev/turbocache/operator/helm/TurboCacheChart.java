package dev.turbocache.operator.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import dev.turbocache.operator.kubeapi.RealApiServer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * helm/turbocache-operator and what Helm (helm-java: Helm as a library, no binary needed) makes of
 * it. {@link #RELEASE} in {@link #NAMESPACE} is the documented {@code helm install
 * turbocache-operator ./helm/turbocache-operator -n turbocache}.
 */
public final class TurboCacheChart {
  public static final String RELEASE = "turbocache-operator";
  public static final String NAMESPACE = "turbocache";
  /**
   * Capabilities for {@code helm template} and {@code lint}: the oldest Kubernetes we support. Without
   * it helm-java assumes 1.20, which the chart's kubeVersion refuses.
   */
  static final String KUBE_VERSION = RealApiServer.VERSION;

  private static final YAMLMapper YAML = new YAMLMapper();

  private TurboCacheChart() {}

  public static Path repoRoot() {
    return Path.of(System.getProperty("turbocache.repo.root", "..")).toAbsolutePath().normalize();
  }

  public static Path dir() {
    return repoRoot().resolve("helm").resolve(RELEASE);
  }

  /** The documented variants: {@code ci/<name>-values.yaml} (the chart-testing layout). */
  public static List<String> variants() {
    try (Stream<Path> files = Files.list(dir().resolve("ci"))) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith("-values.yaml"))
          .map(n -> n.substring(0, n.length() - "-values.yaml".length())).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Path variant(String name) {
    return dir().resolve("ci").resolve(name + "-values.yaml");
  }

  public static Map<String, Object> readValues(Path file) {
    try {
      @SuppressWarnings("unchecked")
      Map<String, Object> values = YAML.readValue(file.toFile(), Map.class);
      return values == null ? new LinkedHashMap<>() : values;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code helm template RELEASE helm/turbocache-operator -n NAMESPACE [-f values]} without the CRDs. */
  public static String template(Map<String, Object> values) {
    return template(RELEASE, NAMESPACE, values);
  }

  public static String template(String release, String namespace, Map<String, Object> values) {
    return withValuesFile(values, file -> {
      TemplateCommand t = new Helm(dir()).template().withName(release).withNamespace(namespace)
          .withKubeVersion(KUBE_VERSION).skipCrds();
      return (file == null ? t : t.withValuesFile(file)).call();
    });
  }

  /** The objects {@link #template} renders. */
  public static Rendered render(Map<String, Object> values) {
    return Rendered.parse(template(values));
  }

  public static Rendered render(String release, String namespace, Map<String, Object> values) {
    return Rendered.parse(template(release, namespace, values));
  }

  /**
   * {@code helm lint --strict} with {@code values} over the defaults. helm-java's lint takes no
   * values files, so a copy of the chart whose values.yaml has them merged in is linted (as Helm
   * merges {@code -f}: maps key by key, anything else replaced).
   */
  public static LintResult lint(Map<String, Object> values) {
    Path tmp = null;
    try {
      tmp = Files.createTempDirectory("chart-lint-");
      Path copy = tmp.resolve(RELEASE);
      copyTree(dir(), copy);
      Map<String, Object> merged = merge(readValues(dir().resolve("values.yaml")), values);
      YAML.writeValue(copy.resolve("values.yaml").toFile(), merged);
      return new Helm(copy).lint().strict().call();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      deleteTree(tmp);
    }
  }

  /** Runs {@code helm} with {@code values} in a temporary values file (null when there are none). */
  public static <T> T withValuesFile(Map<String, Object> values, Function<Path, T> helm) {
    if (values == null || values.isEmpty()) {
      return helm.apply(null);
    }
    Path file = null;
    try {
      file = Files.createTempFile("values-", ".yaml");
      YAML.writeValue(file.toFile(), values);
      return helm.apply(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      deleteTree(file);
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> over) {
    Map<String, Object> out = new LinkedHashMap<>(base);
    over.forEach((k, v) -> out.merge(k, v, (a, b) -> a instanceof Map && b instanceof Map
        ? merge((Map<String, Object>) a, (Map<String, Object>) b) : b));
    return out;
  }

  /** {@code values} with one nested value set, e.g. {@code set(v, "metrics.serviceMonitor.enabled", true)}. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> set(Map<String, Object> values, String path, Object value) {
    Map<String, Object> out = new LinkedHashMap<>(values);
    String[] keys = path.split("\\.", 2);
    if (keys.length == 1) {
      out.put(keys[0], value);
    } else {
      Object inner = out.get(keys[0]);
      out.put(keys[0], set(inner instanceof Map ? (Map<String, Object>) inner : Map.of(), keys[1], value));
    }
    return out;
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : files.toList()) {
        Files.copy(p, to.resolve(from.relativize(p).toString()));
      }
    }
  }

  static void deleteTree(Path root) {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Rendered documents as Fabric8 objects (kinds without a model, like ServiceMonitor, as generic ones). */
  public record Rendered(List<HasMetadata> objects) {
    static Rendered parse(String manifests) {
      List<HasMetadata> objects = new ArrayList<>();
      try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(manifests)) {
        while (docs.hasNext()) {
          JsonNode doc = docs.next();
          if (doc != null && doc.isObject()) {
            objects.add(Serialization.unmarshal(doc.toString()));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return new Rendered(objects);
    }

    public <T extends HasMetadata> List<T> all(Class<T> type) {
      return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /**
     * The cluster-wide rules a namespaced install may have: only {@code get} on CRDs named one by
     * one (the operator asks whether the prometheus-operator kinds are installed).
     */
    public List<PolicyRule> clusterWideRulesOtherThanNamedCrdReads() {
      return all(ClusterRole.class).stream().flatMap(role -> role.getRules().stream())
          .filter(rule -> !(rule.getResources().equals(List.of("customresourcedefinitions"))
              && rule.getVerbs().equals(List.of("get")) && !rule.getResourceNames().isEmpty()))
          .toList();
    }

    public List<HasMetadata> kind(String kind) {
      return objects.stream().filter(o -> o.getKind().equals(kind)).toList();
    }

    /** The only object of {@code type}; fails when there is none or more. */
    public <T extends HasMetadata> T one(Class<T> type) {
      List<T> all = all(type);
      if (all.size() != 1) {
        throw new AssertionError("expected one " + type.getSimpleName() + ", rendered " + all.size() + ": " + objects);
      }
      return all.get(0);
    }

    public <T extends HasMetadata> T named(Class<T> type, String name) {
      return all(type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst()
          .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name + " in " + objects));
    }
  }
}
