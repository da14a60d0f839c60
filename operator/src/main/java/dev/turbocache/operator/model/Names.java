package dev.turbocache.operator.model;

import dev.turbocache.operator.api.v1alpha1.TurboCache;

/** Names of every child of a TurboCache, in one place. Different kinds may share a name. */
public final class Names {
  private Names() {}

  /** Deployment, Service, ServiceAccount, Ingress, HPA, PDB and NetworkPolicy of the cache server. */
  public static String server(TurboCache cr) {
    return cr.getMetadata().getName();
  }

  /** ClusterIP Service of the cache servers' management port (/metrics), apart from the clients' Service. */
  public static String serverMetrics(TurboCache cr) {
    return cr.getMetadata().getName() + "-metrics";
  }

  public static String serverConfig(TurboCache cr) {
    return cr.getMetadata().getName() + "-config";
  }

  public static String serviceAccount(TurboCache cr) {
    return cr.getMetadata().getName();
  }

  /** StatefulSet of the operator-managed Redis; its pods are {@code <this>-0}, {@code <this>-1}, ... */
  public static String redis(TurboCache cr) {
    return cr.getMetadata().getName() + "-redis";
  }

  /** Headless Service giving every Redis pod a stable DNS name. */
  public static String redisHeadless(TurboCache cr) {
    return redis(cr) + "-headless";
  }

  /** StatefulSet of the sentinels, and (Sentinel mode) the ClusterIP Service over the ready ones. */
  public static String sentinel(TurboCache cr) {
    return cr.getMetadata().getName() + "-sentinel";
  }

  public static String sentinelHeadless(TurboCache cr) {
    return sentinel(cr) + "-headless";
  }

  /** ConfigMap with the Redis and sentinel configuration and start scripts. */
  public static String redisConfig(TurboCache cr) {
    return redis(cr) + "-config";
  }

  /** Secret with the generated Redis password. */
  public static String redisAuth(TurboCache cr) {
    return redis(cr) + "-auth";
  }

  /**
   * The sentinels' name of the master: unique per TurboCache, so two sets of sentinels never take
   * each other's announcements for their own.
   */
  public static String redisMaster(TurboCache cr) {
    return "turbocache-" + cr.getMetadata().getNamespace() + "-" + cr.getMetadata().getName();
  }

  /** DNS name of a pod of a StatefulSet behind its headless Service. */
  public static String podHost(TurboCache cr, String pod, String headlessService) {
    return pod + "." + headlessService + "." + cr.getMetadata().getNamespace() + ".svc";
  }

  /** DNS name of a Service of the TurboCache's namespace. */
  public static String serviceHost(TurboCache cr, String service) {
    return service + "." + cr.getMetadata().getNamespace() + ".svc";
  }

  /** The ConfigMap with the cache servers' least-privilege IAM policy for the s3 tier. */
  public static String iamPolicy(TurboCache cr) {
    return cr.getMetadata().getName() + "-iam-policy";
  }

  /** ServiceMonitor and PrometheusRule of the cache servers (different kinds may share a name). */
  public static String monitoring(TurboCache cr) {
    return cr.getMetadata().getName();
  }

  /** ConfigMap with the Grafana dashboard. */
  public static String dashboard(TurboCache cr) {
    return cr.getMetadata().getName() + "-dashboard";
  }

  /** In-cluster URL of the cache, e.g. {@code http://monorepo.build-infra.svc:80}. */
  public static String endpoint(TurboCache cr, int servicePort) {
    return "http://" + server(cr) + "." + cr.getMetadata().getNamespace() + ".svc:" + servicePort;
  }
}
