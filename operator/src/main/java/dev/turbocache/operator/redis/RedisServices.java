package dev.turbocache.operator.redis;

import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.dependent.TurboCacheDependent;
import dev.turbocache.operator.model.Labels;
import dev.turbocache.operator.model.Names;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/**
 * The Services and disruption budgets of the Redis set, one dependent each. Headless Services give
 * every pod a stable DNS name and publish it before the pod is ready (a restarting master must stay
 * resolvable, or the sentinels cannot fail over from it); the ClusterIP Services route to ready pods
 * only and are what the cache servers connect to.
 */
public final class RedisServices {
  private RedisServices() {}

  static Service service(TurboCache cr, String name, Labels.Component component, int port, String portName,
      boolean headless) {
    return new ServiceBuilder()
        .withMetadata(TurboCacheDependent.metadata(cr, name, component))
        .withNewSpec()
        .withClusterIP(headless ? "None" : null)
        .withPublishNotReadyAddresses(headless ? true : null)
        .withSelector(Labels.selector(cr, component))
        .addNewPort().withName(portName).withPort(port).withTargetPort(new IntOrString(portName)).withProtocol("TCP").endPort()
        .endSpec()
        .build();
  }

  static PodDisruptionBudget budget(TurboCache cr, String name, Labels.Component component) {
    return new PodDisruptionBudgetBuilder()
        .withMetadata(TurboCacheDependent.metadata(cr, name, component))
        .withNewSpec()
        .withMaxUnavailable(new IntOrString(1))
        .withNewSelector().withMatchLabels(Labels.selector(cr, component)).endSelector()
        .endSpec()
        .build();
  }

  @KubernetesDependent(informer = @Informer(labelSelector = Labels.REDIS_SELECTOR))
  public static class RedisHeadless extends TurboCacheDependent<Service> {
    public RedisHeadless() {
      super(Service.class, Names::redisHeadless, RedisHeadless::desired);
    }

    public static Service desired(TurboCache cr) {
      return service(cr, Names.redisHeadless(cr), Labels.Component.REDIS, RedisPods.REDIS_PORT, RedisPods.REDIS_PORT_NAME, true);
    }
  }

  /** Standalone mode: the single Redis, for the cache servers. */
  @KubernetesDependent(informer = @Informer(labelSelector = Labels.REDIS_SELECTOR))
  public static class RedisClient extends TurboCacheDependent<Service> {
    public RedisClient() {
      super(Service.class, Names::redis, RedisClient::desired);
    }

    public static Service desired(TurboCache cr) {
      return service(cr, Names.redis(cr), Labels.Component.REDIS, RedisPods.REDIS_PORT, RedisPods.REDIS_PORT_NAME, false);
    }
  }

  @KubernetesDependent(informer = @Informer(labelSelector = Labels.SENTINEL_SELECTOR))
  public static class SentinelHeadless extends TurboCacheDependent<Service> {
    public SentinelHeadless() {
      super(Service.class, Names::sentinelHeadless, SentinelHeadless::desired);
    }

    public static Service desired(TurboCache cr) {
      return service(cr, Names.sentinelHeadless(cr), Labels.Component.SENTINEL, RedisPods.SENTINEL_PORT,
          RedisPods.SENTINEL_PORT_NAME, true);
    }
  }

  /** Sentinel mode: the ready sentinels, for the cache servers (a dead sentinel is never handed to a client). */
  @KubernetesDependent(informer = @Informer(labelSelector = Labels.SENTINEL_SELECTOR))
  public static class SentinelClient extends TurboCacheDependent<Service> {
    public SentinelClient() {
      super(Service.class, Names::sentinel, SentinelClient::desired);
    }

    public static Service desired(TurboCache cr) {
      return service(cr, Names.sentinel(cr), Labels.Component.SENTINEL, RedisPods.SENTINEL_PORT,
          RedisPods.SENTINEL_PORT_NAME, false);
    }
  }

  @KubernetesDependent(informer = @Informer(labelSelector = Labels.REDIS_SELECTOR))
  public static class RedisBudget extends TurboCacheDependent<PodDisruptionBudget> {
    public RedisBudget() {
      super(PodDisruptionBudget.class, Names::redis, RedisBudget::desired);
    }

    public static PodDisruptionBudget desired(TurboCache cr) {
      return budget(cr, Names.redis(cr), Labels.Component.REDIS);
    }
  }

  @KubernetesDependent(informer = @Informer(labelSelector = Labels.SENTINEL_SELECTOR))
  public static class SentinelBudget extends TurboCacheDependent<PodDisruptionBudget> {
    public SentinelBudget() {
      super(PodDisruptionBudget.class, Names::sentinel, SentinelBudget::desired);
    }

    public static PodDisruptionBudget desired(TurboCache cr) {
      return budget(cr, Names.sentinel(cr), Labels.Component.SENTINEL);
    }
  }
}
