package dev.turbocache.operator.redis;

import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.model.Names;
import dev.turbocache.operator.model.ResolvedSpec;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's periodic look at its Redis: observe read-only through {@link RedisProbe}, judge
 * with {@link TopologyDecision}, and only when healing is allowed (not paused) apply what was decided,
 * logging each change with its reason.
 */
public final class RedisTopologyCheck {
  private static final Logger LOG = LoggerFactory.getLogger(RedisTopologyCheck.class);
  /** The label the StatefulSet controller puts on each pod: the revision it was created from. */
  static final String REVISION_LABEL = "controller-revision-hash";

  /**
   * How the operator reaches a pod: the host name it announces and the address to connect to, or
   * null when it is not running (then it is not asked at all).
   */
  public interface AddressBook {
    /** @param pod the pod as the cluster has it, or null when it does not exist */
    Endpoint endpoint(TurboCache cr, String name, String headlessService, Pod pod);
  }

  public record Endpoint(String host, String address) {}

  /**
   * In a cluster: the pod announces its DNS name behind the headless Service; the operator connects
   * to its IP, so the check needs no DNS and never waits on a pod that is not running.
   */
  public static final AddressBook CLUSTER = (cr, name, headless, pod) -> {
    String ip = pod == null || pod.getStatus() == null ? null : pod.getStatus().getPodIP();
    return ip == null || ip.isEmpty() ? null : new Endpoint(Names.podHost(cr, name, headless), ip);
  };

  private final Function<TurboCache, RedisProbe> probe;
  private final AddressBook addresses;

  /** @param probe the probe to use (looked up per check, so it can be created on first use) */
  public RedisTopologyCheck(Function<TurboCache, RedisProbe> probe, AddressBook addresses) {
    this.probe = probe;
    this.addresses = addresses;
  }

  /**
   * @param auth the generated password Secret; without it nothing can be asked (null verdict)
   * @param redisSet the Redis StatefulSet as it is, for its current revision; may be null
   * @param pods the Redis and sentinel pods that exist
   * @param heal whether to apply what is decided (false while paused)
   * @param deletePod deletes a pod (rolling update, password change)
   * @return the verdict, or null when there is nothing to check yet
   */
  public TopologyVerdict check(TurboCache cr, Secret auth, StatefulSet redisSet, Collection<Pod> pods, boolean heal,
      Consumer<String> deletePod) {
    ResolvedSpec.Redis redis = ResolvedSpec.of(cr).redis();
    ResolvedSpec.ManagedRedis m = redis.managed();
    String password = password(auth);
    if (m == null || password == null || redisSet == null) {
      return null;
    }
    Map<String, Pod> byName = pods.stream().collect(Collectors.toMap(p -> p.getMetadata().getName(), p -> p, (a, b) -> a));
    List<RedisProbe.Target> redisTargets = new ArrayList<>();
    for (int i = 0; i < m.redisReplicas(); i++) {
      String pod = Names.redis(cr) + "-" + i;
      Pod live = byName.get(pod);
      redisTargets.add(target(pod, i, addresses.endpoint(cr, pod, Names.redisHeadless(cr), live),
          Names.podHost(cr, pod, Names.redisHeadless(cr)), RedisPods.REDIS_PORT, outdated(live, redisSet),
          restartRequired(live, redisSet)));
    }
    List<RedisProbe.Target> sentinelTargets = new ArrayList<>();
    for (int i = 0; i < m.sentinels(); i++) {
      String pod = Names.sentinel(cr) + "-" + i;
      sentinelTargets.add(target(pod, i, addresses.endpoint(cr, pod, Names.sentinelHeadless(cr), byName.get(pod)),
          Names.podHost(cr, pod, Names.sentinelHeadless(cr)), RedisPods.SENTINEL_PORT, false, false));
    }
    RedisTimings timings = RedisTimings.of(m);
    TopologyDecision.Expectations expected = new TopologyDecision.Expectations(redis.sentinel(), m.redisReplicas(),
        m.sentinels(), m.quorum(), RedisPods.REDIS_PORT, timings.stuckAfter().toSeconds());
    RedisProbe p = probe.apply(cr);
    RedisTopology topology = p.observe(redisTargets, sentinelTargets, Names.redisMaster(cr), password);
    TopologyVerdict verdict = TopologyDecision.decide(topology, expected);
    if (heal) {
      RedisProbe.SentinelSettings settings = new RedisProbe.SentinelSettings(m.quorum(), timings.downAfter().toMillis(),
          timings.failoverTimeout().toMillis());
      for (HealAction action : verdict.actions()) {
        String pod = pod(action);
        LOG.info("Redis of TurboCache {}/{}: {} on {}, because {}", cr.getMetadata().getNamespace(),
            cr.getMetadata().getName(), action.getClass().getSimpleName(), pod, action.why());
        if (action instanceof HealAction.DeletePod) {
          deletePod.accept(pod);
        } else {
          Optional<RedisProbe.Target> target = find(pod, redisTargets, sentinelTargets);
          target.ifPresent(t -> p.apply(action, t, Names.redisMaster(cr), password, settings));
        }
      }
    }
    return verdict;
  }

  /** A pod without an endpoint (not running) gets no address: the probe counts it unreachable without asking. */
  private static RedisProbe.Target target(String pod, int ordinal, Endpoint e, String dnsName, int port, boolean outdated,
      boolean restartRequired) {
    return e == null
        ? new RedisProbe.Target(pod, ordinal, dnsName, null, port, outdated, restartRequired)
        : new RedisProbe.Target(pod, ordinal, e.host(), e.address(), port, outdated, restartRequired);
  }

  static boolean outdated(Pod pod, StatefulSet set) {
    String current = set.getStatus() == null ? null : set.getStatus().getUpdateRevision();
    return pod != null && current != null && pod.getMetadata().getLabels() != null
        && !current.equals(pod.getMetadata().getLabels().get(REVISION_LABEL));
  }

  static boolean restartRequired(Pod pod, StatefulSet set) {
    if (pod == null || set.getSpec() == null || set.getSpec().getTemplate().getMetadata() == null) {
      return false;
    }
    String wanted = set.getSpec().getTemplate().getMetadata().getAnnotations().get(RedisPods.AUTH_CHECKSUM);
    Map<String, String> has = pod.getMetadata().getAnnotations();
    return wanted != null && !Objects.equals(wanted, has == null ? null : has.get(RedisPods.AUTH_CHECKSUM));
  }

  static String password(Secret auth) {
    String encoded = auth == null || auth.getData() == null ? null : auth.getData().get(RedisAuthSecret.PASSWORD_KEY);
    return encoded == null ? null : new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
  }

  private static String pod(HealAction a) {
    return switch (a) {
      case HealAction.Promote p -> p.pod();
      case HealAction.ReplicaOf r -> r.pod();
      case HealAction.Monitor m -> m.sentinel();
      case HealAction.Reset r -> r.sentinel();
      case HealAction.Failover f -> f.sentinel();
      case HealAction.DeletePod d -> d.pod();
    };
  }

  private static Optional<RedisProbe.Target> find(String pod, List<RedisProbe.Target> redis, List<RedisProbe.Target> sentinels) {
    return Stream.concat(redis.stream(), sentinels.stream()).filter(t -> t.pod().equals(pod)).findFirst();
  }
}
