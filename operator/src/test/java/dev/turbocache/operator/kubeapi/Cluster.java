package dev.turbocache.operator.kubeapi;

import dev.turbocache.operator.TestResources;
import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.contract.UserSecrets;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import static org.awaitility.Awaitility.await;

/** What the real-API-server tests do to a cluster: install the CRDs, make namespaces, apply examples. */
public final class Cluster {
  /** The field manager of everything the tests apply in the role of a user (kubectl, Argo CD). */
  public static final String TEST_MANAGER = "turbocache-test";
  private static final AtomicInteger NAMESPACES = new AtomicInteger();

  private Cluster() {}

  /** {@code crds/} as committed, applied with server-side apply like {@code kubectl apply --server-side -f crds/}. */
  public static List<CustomResourceDefinition> installCrds(KubernetesClient client) {
    Path dir = Path.of(System.getProperty("turbocache.crd.committed", "../crds"));
    List<CustomResourceDefinition> applied;
    try (Stream<Path> files = Files.list(dir)) {
      applied = files.filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml")).sorted()
          .map(Cluster::readCrd)
          .map(crd -> client.resource(crd).fieldManager(TEST_MANAGER).forceConflicts().serverSideApply())
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (CustomResourceDefinition crd : applied) {
      await().atMost(Duration.ofSeconds(30)).until(() -> established(client, crd.getMetadata().getName()));
    }
    return applied;
  }

  /** The CRD {@code name} as committed in {@code crds/}, for a test to edit before applying it. */
  public static CustomResourceDefinition committedCrd(String name) {
    return readCrd(Path.of(System.getProperty("turbocache.crd.committed", "../crds")).resolve(name + "-v1.yml"));
  }

  private static CustomResourceDefinition readCrd(Path file) {
    try {
      return Serialization.unmarshal(Files.readString(file), CustomResourceDefinition.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether the CRD {@code name} exists and serves its kind. */
  public static boolean established(KubernetesClient client, String name) {
    CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions().withName(name).get();
    return crd != null && crd.getStatus() != null && crd.getStatus().getConditions() != null
        && crd.getStatus().getConditions().stream()
        .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** A new namespace with a unique name starting with {@code prefix}. */
  public static String createNamespace(KubernetesClient client, String prefix) {
    String name = prefix + "-" + NAMESPACES.incrementAndGet();
    client.resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
    return name;
  }

  /** An example document as a generic object, moved into {@code namespace} when it is namespaced. */
  public static GenericKubernetesResource inNamespace(TestResources.ExampleDoc doc, String namespace) {
    GenericKubernetesResource r = doc.as(GenericKubernetesResource.class);
    if (r.getMetadata().getNamespace() != null) {
      r.getMetadata().setNamespace(namespace);
    }
    return r;
  }

  /** A cluster ready for an operator test: CRDs installed, the install manifest's identity, a fresh namespace. */
  public record Prepared(KubernetesClient admin, OperatorIdentity identity, String namespace) {}

  public static Prepared prepare(RealApiServer api, String namespacePrefix) {
    KubernetesClient admin = api.admin();
    installCrds(admin);
    return new Prepared(admin, OperatorIdentity.install(api), createNamespace(admin, namespacePrefix));
  }

  /** A TurboCache moved into {@code namespace} and applied with the Secrets a user creates for it. */
  public static TurboCache applyWithSecrets(KubernetesClient client, TurboCache cr, String namespace) {
    cr.getMetadata().setNamespace(namespace);
    for (Secret s : UserSecrets.createdByUser(cr)) {
      apply(client, s);
    }
    return apply(client, cr);
  }

  /** Server-side apply as the test's user. */
  public static <T extends HasMetadata> T apply(KubernetesClient client, T resource) {
    return client.resource(resource).fieldManager(TEST_MANAGER).forceConflicts().serverSideApply();
  }
}
