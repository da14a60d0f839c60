package dev.turbocache.operator.bucket;

import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.dependent.OptionalDependent;
import dev.turbocache.operator.dependent.TurboCacheDependent;
import dev.turbocache.operator.model.Labels;
import dev.turbocache.operator.model.Names;
import dev.turbocache.operator.model.ResolvedSpec;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.Map;

/**
 * The cache servers' least-privilege IAM policy ({@link IamPolicy}) as a ConfigMap, for whoever
 * creates the role or user (Terraform, ACK, a security review) to read without parsing the status.
 * Exists whenever there is an s3 tier, Managed or External.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class IamPolicyConfigMap extends TurboCacheDependent<ConfigMap> {
  public static final String POLICY_KEY = "policy.json";

  public IamPolicyConfigMap() {
    super(ConfigMap.class, Names::iamPolicy, IamPolicyConfigMap::desired);
  }

  /** Precondition: only with an s3 tier; JOSDK deletes the ConfigMap when the tier goes. */
  public static class Enabled extends OptionalDependent.Enabled<ConfigMap> {
    public Enabled() {
      super(s -> s.s3() != null);
    }
  }

  public static ConfigMap desired(TurboCache cr) {
    ResolvedSpec.S3 s3 = OptionalDependent.required(ResolvedSpec.of(cr).s3(), "tiers.s3");
    return new ConfigMapBuilder()
        .withMetadata(metadata(cr, Names.iamPolicy(cr), Labels.Component.BUCKET))
        .withData(Map.of(POLICY_KEY, IamPolicy.render(s3)))
        .build();
  }
}
