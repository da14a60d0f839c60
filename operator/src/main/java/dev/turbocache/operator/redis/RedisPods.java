package dev.turbocache.operator.redis;

import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.model.Labels;
import dev.turbocache.operator.model.Names;
import dev.turbocache.operator.model.RedisEndpoints;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * What the Redis and sentinel pods share: the restricted security context of the official image's
 * {@code redis} user, the environment the start scripts read, the config volume, probes and spreading.
 */
public final class RedisPods {
  public static final int REDIS_PORT = RedisEndpoints.REDIS_PORT;
  public static final int SENTINEL_PORT = RedisEndpoints.SENTINEL_PORT;
  public static final String REDIS_PORT_NAME = "redis";
  public static final String SENTINEL_PORT_NAME = "sentinel";
  /** The {@code redis} user of the official image. */
  public static final long REDIS_UID = 999L;
  public static final String CONFIG_DIR = "/etc/turbocache-redis";
  public static final String DATA_DIR = "/data";
  static final String CONFIG_VOLUME = "config";
  static final String DATA_VOLUME = "data";
  public static final String CONFIG_CHECKSUM = "turbocache.dev/config-checksum";
  /** Separate from the config checksum: a new password means a restart of every pod at once, not a rolling one. */
  public static final String AUTH_CHECKSUM = "turbocache.dev/auth-checksum";

  private RedisPods() {}

  static PodSecurityContext podSecurityContext() {
    return new PodSecurityContextBuilder()
        .withRunAsNonRoot(true)
        .withRunAsUser(REDIS_UID)
        .withRunAsGroup(REDIS_UID)
        .withFsGroup(REDIS_UID)
        .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
        .build();
  }

  static SecurityContext containerSecurityContext() {
    return new SecurityContextBuilder()
        .withRunAsNonRoot(true)
        .withReadOnlyRootFilesystem(true)
        .withAllowPrivilegeEscalation(false)
        .withPrivileged(false)
        .withNewCapabilities().withDrop("ALL").endCapabilities()
        .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
        .build();
  }

  /**
   * The environment of a start script: the password from the Secret, the pod's address to bind and
   * the stable host name it announces (its DNS name behind {@code headlessService}).
   */
  static List<EnvVar> identity(TurboCache cr, String headlessService) {
    List<EnvVar> env = new ArrayList<>();
    env.add(new EnvVarBuilder().withName("REDIS_PASSWORD").withNewValueFrom().withNewSecretKeyRef()
        .withName(Names.redisAuth(cr)).withKey(RedisAuthSecret.PASSWORD_KEY).withOptional(false)
        .endSecretKeyRef().endValueFrom().build());
    env.add(new EnvVarBuilder().withName("POD_NAME").withNewValueFrom().withNewFieldRef()
        .withFieldPath("metadata.name").endFieldRef().endValueFrom().build());
    env.add(new EnvVarBuilder().withName("POD_IP").withNewValueFrom().withNewFieldRef()
        .withFieldPath("status.podIP").endFieldRef().endValueFrom().build());
    env.add(new EnvVar("BIND_ADDRESS", "$(POD_IP)", null));
    env.add(new EnvVar("ANNOUNCE_HOST", Names.podHost(cr, "$(POD_NAME)", headlessService), null));
    env.add(new EnvVar("MASTER_NAME", Names.redisMaster(cr), null));
    return env;
  }

  /** Every sentinel as {@code host:port}, by its stable DNS name. */
  static String sentinelAddresses(TurboCache cr, int sentinels) {
    return IntStream.range(0, sentinels)
        .mapToObj(i -> Names.podHost(cr, Names.sentinel(cr) + "-" + i, Names.sentinelHeadless(cr)) + ":" + SENTINEL_PORT)
        .collect(Collectors.joining(" "));
  }

  static Volume configVolume(TurboCache cr) {
    return new VolumeBuilder().withName(CONFIG_VOLUME).withNewConfigMap().withName(Names.redisConfig(cr)).endConfigMap()
        .build();
  }

  static List<VolumeMount> mounts() {
    return List.of(
        new VolumeMountBuilder().withName(CONFIG_VOLUME).withMountPath(CONFIG_DIR).withReadOnly(true).build(),
        new VolumeMountBuilder().withName(DATA_VOLUME).withMountPath(DATA_DIR).build());
  }

  /** An exec probe through {@code redis-probe.sh} ({@code live}, {@code ready} or {@code sentinel}). */
  static Probe probe(String kind, int period, int failureThreshold) {
    return new ProbeBuilder()
        .withNewExec().withCommand("sh", CONFIG_DIR + "/" + RedisConfigMap.PROBE, kind).endExec()
        .withPeriodSeconds(period)
        .withTimeoutSeconds(5)
        .withFailureThreshold(failureThreshold)
        .build();
  }

  /** Spread over nodes (and zones) and, softer, away from {@code avoid}'s pods: losing a node never takes a majority. */
  static Affinity affinity(TurboCache cr, Labels.Component self, Labels.Component avoid) {
    return new AffinityBuilder()
        .withNewPodAntiAffinity()
        .addNewPreferredDuringSchedulingIgnoredDuringExecution()
        .withWeight(100)
        .withNewPodAffinityTerm().withTopologyKey("kubernetes.io/hostname")
        .withNewLabelSelector().withMatchLabels(Labels.selector(cr, self)).endLabelSelector()
        .endPodAffinityTerm()
        .endPreferredDuringSchedulingIgnoredDuringExecution()
        .addNewPreferredDuringSchedulingIgnoredDuringExecution()
        .withWeight(50)
        .withNewPodAffinityTerm().withTopologyKey("kubernetes.io/hostname")
        .withNewLabelSelector().withMatchLabels(Labels.selector(cr, avoid)).endLabelSelector()
        .endPodAffinityTerm()
        .endPreferredDuringSchedulingIgnoredDuringExecution()
        .endPodAntiAffinity()
        .build();
  }

  static TopologySpreadConstraint zoneSpread(TurboCache cr, Labels.Component self) {
    return new TopologySpreadConstraintBuilder()
        .withMaxSkew(1)
        .withTopologyKey("topology.kubernetes.io/zone")
        .withWhenUnsatisfiable("ScheduleAnyway")
        .withNewLabelSelector().withMatchLabels(Labels.selector(cr, self)).endLabelSelector()
        .build();
  }
}
