package dev.turbocache.operator.server;

import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.dependent.TurboCacheDependent;
import dev.turbocache.operator.model.Labels;
import dev.turbocache.operator.model.Names;
import dev.turbocache.operator.model.ResolvedSpec;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.LinkedHashMap;
import java.util.Map;

/** ServiceAccount of the cache-server pods; carries the IRSA role annotation when a role ARN is set. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.SERVER_SELECTOR))
public class ServerServiceAccount extends TurboCacheDependent<ServiceAccount> {
  public static final String IRSA_ROLE_ANNOTATION = "eks.amazonaws.com/role-arn";

  public ServerServiceAccount() {
    super(ServiceAccount.class, Names::serviceAccount, ServerServiceAccount::desired);
  }

  public static ServiceAccount desired(TurboCache cr) {
    ResolvedSpec s = ResolvedSpec.of(cr);
    Map<String, String> annotations = new LinkedHashMap<>();
    if (s.roleArn() != null) {
      annotations.put(IRSA_ROLE_ANNOTATION, s.roleArn());
    }
    return new ServiceAccountBuilder()
        .withMetadata(metadata(cr, Names.serviceAccount(cr), Labels.Component.CACHE_SERVER, annotations))
        .withAutomountServiceAccountToken(false)
        .build();
  }
}
