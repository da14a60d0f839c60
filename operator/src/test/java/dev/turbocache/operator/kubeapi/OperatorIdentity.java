package dev.turbocache.operator.kubeapi;

import dev.turbocache.operator.TestResources;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The operator's identity as the install manifest ({@code examples/install/operator.yaml}) defines
 * it: its Namespace, ServiceAccount, ClusterRole, Role and bindings are applied to the cluster as
 * they are, and the operator then talks to the API server with a token of that ServiceAccount
 * (TokenRequest), so every call it makes is authorised by exactly those rules. {@link #of} does the
 * same for a ServiceAccount that something else (a Helm release) made.
 */
public record OperatorIdentity(String namespace, String serviceAccount, String token, Config config) {
  static final String MANIFEST = "install/operator.yaml";

  /** The identity of the install manifest, unchanged. */
  public static OperatorIdentity install(RealApiServer api) {
    return install(api, "", rules -> rules);
  }

  /**
   * A copy of the manifest's identity under names ending in {@code suffix}, with its ClusterRole's
   * rules passed through {@code editRules} (to take a permission away).
   */
  public static OperatorIdentity install(RealApiServer api, String suffix, UnaryOperator<List<PolicyRule>> editRules) {
    KubernetesClient admin = api.admin();
    String namespace = null;
    String serviceAccount = null;
    for (TestResources.ExampleDoc doc : TestResources.examples()) {
      if (!doc.file().equals(MANIFEST)) {
        continue;
      }
      String kind = doc.doc().path("kind").asText();
      HasMetadata object = switch (kind) {
        case "Namespace" -> doc.as(io.fabric8.kubernetes.api.model.Namespace.class);
        case "ServiceAccount" -> renamed(doc.as(ServiceAccount.class), suffix);
        case "ClusterRole" -> {
          ClusterRole role = renamed(doc.as(ClusterRole.class), suffix);
          role.setRules(editRules.apply(new ArrayList<>(role.getRules())));
          yield role;
        }
        case "ClusterRoleBinding" -> bound(doc.as(ClusterRoleBinding.class), suffix);
        case "Role" -> renamed(doc.as(Role.class), suffix);
        case "RoleBinding" -> bound(doc.as(RoleBinding.class), suffix);
        default -> null; // the operator's Deployment: the tests run the operator themselves
      };
      if (object == null) {
        continue;
      }
      Cluster.apply(admin, object);
      if (object instanceof ServiceAccount sa) {
        namespace = sa.getMetadata().getNamespace();
        serviceAccount = sa.getMetadata().getName();
      }
    }
    if (serviceAccount == null) {
      throw new AssertionError(MANIFEST + " defines no ServiceAccount");
    }
    return of(api, namespace, serviceAccount);
  }

  /**
   * The identity of a ServiceAccount that exists already (one a Helm release made, say): whatever
   * is bound to it authorises the calls.
   */
  public static OperatorIdentity of(RealApiServer api, String namespace, String serviceAccount) {
    String token = api.admin().serviceAccounts().inNamespace(namespace).withName(serviceAccount)
        .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(4 * 3600L).endSpec().build())
        .getStatus().getToken();
    Config admins = api.config();
    Config config = new ConfigBuilder(Config.empty())
        .withMasterUrl(admins.getMasterUrl())
        .withCaCertData(caCertData(admins))
        .withOauthToken(token)
        .withNamespace(namespace)
        .build();
    return new OperatorIdentity(namespace, serviceAccount, token, config);
  }

  /** The cluster's CA certificate, base64 (kube-api-test's kubeconfig names it by file). */
  static String caCertData(Config config) {
    if (config.getCaCertData() != null) {
      return config.getCaCertData();
    }
    try {
      return Base64.getEncoder().encodeToString(Files.readAllBytes(Path.of(config.getCaCertFile())));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A client that acts as the operator. The caller closes it. */
  public KubernetesClient client() {
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /** {@code system:serviceaccount:<namespace>:<name>}, as RBAC messages name it. */
  public String username() {
    return "system:serviceaccount:" + namespace + ":" + serviceAccount;
  }

  /** Removes {@code verb} from every rule that grants it on {@code resource}. */
  public static UnaryOperator<List<PolicyRule>> without(String verb, String resource) {
    return rules -> rules.stream().map(r -> {
      if (!r.getResources().contains(resource) || !r.getVerbs().contains(verb)) {
        return r;
      }
      List<String> verbs = new ArrayList<>(r.getVerbs());
      verbs.remove(verb);
      if (r.getResources().size() == 1) {
        return new PolicyRuleBuilder(r).withVerbs(verbs).build();
      }
      throw new AssertionError("split the rule for " + r.getResources() + " first: " + resource + " shares it");
    }).toList();
  }

  private static <T extends HasMetadata> T renamed(T object, String suffix) {
    object.getMetadata().setName(object.getMetadata().getName() + suffix);
    return object;
  }

  private static ClusterRoleBinding bound(ClusterRoleBinding binding, String suffix) {
    renamed(binding, suffix);
    binding.getRoleRef().setName(binding.getRoleRef().getName() + suffix);
    binding.getSubjects().forEach(s -> s.setName(s.getName() + suffix));
    return binding;
  }

  private static RoleBinding bound(RoleBinding binding, String suffix) {
    renamed(binding, suffix);
    binding.getRoleRef().setName(binding.getRoleRef().getName() + suffix);
    binding.getSubjects().forEach(s -> s.setName(s.getName() + suffix));
    return binding;
  }
}
