package dev.turbocache.operator.model;

import dev.turbocache.operator.api.v1alpha1.TurboCache;

/** Names of every child of a TurboCache, in one place. Different kinds may share a name. */
public final class Names {
  private Names() {}

  /** Deployment, Service, ServiceAccount, Ingress, HPA, PDB and NetworkPolicy of the cache server. */
  public static String server(TurboCache cr) {
    return cr.getMetadata().getName();
  }

  public static String serverConfig(TurboCache cr) {
    return cr.getMetadata().getName() + "-config";
  }

  public static String serviceAccount(TurboCache cr) {
    return cr.getMetadata().getName();
  }

  /** The ConfigMap with the cache servers' least-privilege IAM policy for the s3 tier. */
  public static String iamPolicy(TurboCache cr) {
    return cr.getMetadata().getName() + "-iam-policy";
  }

  /** In-cluster URL of the cache, e.g. {@code http://monorepo.build-infra.svc:80}. */
  public static String endpoint(TurboCache cr, int servicePort) {
    return "http://" + server(cr) + "." + cr.getMetadata().getNamespace() + ".svc:" + servicePort;
  }
}
