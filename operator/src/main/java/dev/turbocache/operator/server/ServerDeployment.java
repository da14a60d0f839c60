package dev.turbocache.operator.server;

import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.dependent.TurboCacheDependent;
import dev.turbocache.operator.api.v1alpha1.spec.PodTemplateOverrides;
import dev.turbocache.operator.model.Checksums;
import dev.turbocache.operator.model.Labels;
import dev.turbocache.operator.model.Names;
import dev.turbocache.operator.model.ResolvedSpec;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cache-server Deployment: probes, restricted security context, resources, podTemplate overrides
 * and a checksum annotation of the config and of the Secrets behind environment variables (Redis
 * password, S3 keys) so that a change of them rolls the pods. The tokens and the revoked token ids
 * are files the server reads again when the kubelet updates their volume: no roll.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.SERVER_SELECTOR))
public class ServerDeployment extends TurboCacheDependent<Deployment> {
  public static final String CONTAINER_NAME = "cache-server";
  public static final String CHECKSUM_ANNOTATION = "turbocache.dev/config-checksum";
  public static final String SERVER_JAR = "/app/turbocache-server.jar";
  public static final long RUN_AS_USER = 10001L;
  static final String CONFIG_VOLUME = "config";
  static final String TOKENS_VOLUME = "tokens";
  static final String REVOCATIONS_VOLUME = "revocations";
  static final String DATA_VOLUME = "data";
  static final String TMP_VOLUME = "tmp";
  /** Size limit of the data volume when the disk tier is off (only temp files live there). */
  static final String SCRATCH_SIZE = "1Gi";

  public ServerDeployment() {
    super(Deployment.class, Names::server,
        (cr, context) -> desired(cr, ServerSecrets.observe(cr, context.getSecondaryResources(Secret.class))));
  }

  public static Deployment desired(TurboCache cr, ServerSecrets secrets) {
    TokensSecret tokens = secrets.tokens();
    ResolvedSpec s = ResolvedSpec.of(cr);
    PodTemplateOverrides overrides = s.podTemplate();

    Map<String, String> podLabels = new LinkedHashMap<>();
    Map<String, String> podAnnotations = new LinkedHashMap<>();
    if (overrides.metadata != null) {
      putAll(podLabels, overrides.metadata.labels);
      putAll(podAnnotations, overrides.metadata.annotations);
    }
    podLabels.putAll(Labels.of(cr, Labels.Component.CACHE_SERVER));
    podAnnotations.put(CHECKSUM_ANNOTATION, Checksums.of(ServerConfig.render(cr), secrets.checksumInputs()));

    return new DeploymentBuilder()
        .withMetadata(metadata(cr, Names.server(cr), Labels.Component.CACHE_SERVER))
        .withNewSpec()
        .withReplicas(s.autoscaling() == null ? s.replicas() : null)
        .withNewSelector()
        .withMatchLabels(Labels.selector(cr, Labels.Component.CACHE_SERVER))
        .endSelector()
        .withNewStrategy()
        .withType("RollingUpdate")
        .withNewRollingUpdate()
        .withMaxUnavailable(new IntOrString(0))
        .withMaxSurge(new IntOrString(1))
        .endRollingUpdate()
        .endStrategy()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(podLabels)
        .withAnnotations(podAnnotations)
        .endMetadata()
        .withSpec(podSpec(cr, s, tokens))
        .endTemplate()
        .endSpec()
        .build();
  }

  private static PodSpec podSpec(TurboCache cr, ResolvedSpec s, TokensSecret tokens) {
    PodSpecBuilder pod =
        new PodSpecBuilder()
            .withServiceAccountName(Names.serviceAccount(cr))
            .withAutomountServiceAccountToken(false)
            .withEnableServiceLinks(false)
            .withTerminationGracePeriodSeconds(40L)
            .withNewSecurityContext()
            .withRunAsNonRoot(true)
            .withRunAsUser(RUN_AS_USER)
            .withRunAsGroup(RUN_AS_USER)
            .withFsGroup(RUN_AS_USER)
            .withNewSeccompProfile()
            .withType("RuntimeDefault")
            .endSeccompProfile()
            .endSecurityContext()
            .withContainers(container(s))
            .withVolumes(volumes(cr, s, tokens))
            .withAffinity(defaultAffinity(cr));
    PodTemplateOverrides.Spec o = s.podTemplate().spec;
    if (o != null) {
      if (o.nodeSelector != null) {
        pod.withNodeSelector(o.nodeSelector);
      }
      if (o.tolerations != null) {
        pod.withTolerations(o.tolerations);
      }
      if (o.affinity != null) {
        pod.withAffinity(o.affinity);
      }
      if (o.topologySpreadConstraints != null) {
        pod.withTopologySpreadConstraints(o.topologySpreadConstraints);
      }
      if (o.priorityClassName != null) {
        pod.withPriorityClassName(o.priorityClassName);
      }
    }
    return pod.build();
  }

  private static Container container(ResolvedSpec s) {
    return new ContainerBuilder()
        .withName(CONTAINER_NAME)
        .withImage(s.image())
        .withImagePullPolicy(s.imagePullPolicy())
        .withCommand("java", "-jar", SERVER_JAR)
        .withArgs("serve", "--config", ServerConfig.CONFIG_FILE)
        .addNewPort()
        .withName(ServerService.HTTP_PORT_NAME)
        .withContainerPort(ServerConfig.PORT)
        .withProtocol("TCP")
        .endPort()
        .addNewPort()
        .withName(ServerMetricsService.METRICS_PORT_NAME)
        .withContainerPort(ServerConfig.MANAGEMENT_PORT)
        .withProtocol("TCP")
        .endPort()
        .withEnv(env(s))
        .withResources(s.resources())
        .withLivenessProbe(probe("/healthz/live", 10, 10, 3))
        .withReadinessProbe(probe("/healthz/ready", 5, 5, 3))
        .withNewSecurityContext()
        .withRunAsNonRoot(true)
        .withReadOnlyRootFilesystem(true)
        .withAllowPrivilegeEscalation(false)
        .withPrivileged(false)
        .withNewCapabilities()
        .withDrop("ALL")
        .endCapabilities()
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .endSecurityContext()
        .withVolumeMounts(mounts(s))
        .build();
  }

  /** JVM options, then every secret-backed server setting straight from its Secret (never via the ConfigMap). */
  private static List<EnvVar> env(ResolvedSpec s) {
    List<EnvVar> env = new ArrayList<>();
    env.add(new EnvVar("JAVA_TOOL_OPTIONS", s.javaToolOptions(), null));
    for (SecretEnv e : SecretEnv.of(s)) {
      env.add(new EnvVarBuilder()
          .withName(e.env())
          .withNewValueFrom()
          .withNewSecretKeyRef()
          .withName(e.secretName())
          .withKey(e.key())
          .withOptional(false)
          .endSecretKeyRef()
          .endValueFrom()
          .build());
    }
    return env;
  }

  /** On the management port, which the NetworkPolicy keeps to the scrapers (the kubelet is not subject to it). */
  private static Probe probe(String path, int initialDelay, int period, int failureThreshold) {
    return new ProbeBuilder()
        .withNewHttpGet()
        .withPath(path)
        .withPort(new IntOrString(ServerMetricsService.METRICS_PORT_NAME))
        .endHttpGet()
        .withInitialDelaySeconds(initialDelay)
        .withPeriodSeconds(period)
        .withTimeoutSeconds(2)
        .withFailureThreshold(failureThreshold)
        .build();
  }

  private static List<VolumeMount> mounts(ResolvedSpec s) {
    List<VolumeMount> mounts = new ArrayList<>(List.of(
        new VolumeMountBuilder()
            .withName(CONFIG_VOLUME)
            .withMountPath(ServerConfig.CONFIG_FILE)
            .withSubPath(ServerConfig.CONFIG_FILE_NAME)
            .withReadOnly(true)
            .build(),
        // a directory mount (no subPath) so that Secret updates reach the running server
        new VolumeMountBuilder().withName(TOKENS_VOLUME).withMountPath(ServerConfig.TOKENS_DIR).withReadOnly(true).build(),
        new VolumeMountBuilder().withName(DATA_VOLUME).withMountPath(ServerConfig.DATA_DIR).build(),
        new VolumeMountBuilder().withName(TMP_VOLUME).withMountPath("/tmp").build()));
    if (RevokedTokenIdsFile.rendered(s)) {
      // a directory mount too: the server reads the file again when the kubelet swaps it
      mounts.add(new VolumeMountBuilder().withName(REVOCATIONS_VOLUME).withMountPath(ServerConfig.REVOCATIONS_DIR)
          .withReadOnly(true).build());
    }
    return mounts;
  }

  private static List<Volume> volumes(TurboCache cr, ResolvedSpec s, TokensSecret tokens) {
    Volume config =
        new VolumeBuilder()
            .withName(CONFIG_VOLUME)
            .withNewConfigMap()
            .withName(Names.serverConfig(cr))
            .endConfigMap()
            .build();
    Volume secret =
        new VolumeBuilder()
            .withName(TOKENS_VOLUME)
            .withNewSecret()
            .withSecretName(tokens.name())
            .addNewItem()
            .withKey(tokens.key())
            .withPath(ServerConfig.TOKENS_FILE_NAME)
            .endItem()
            .endSecret()
            .build();
    Volume tmp = new VolumeBuilder().withName(TMP_VOLUME).withNewEmptyDir().withSizeLimit(new Quantity("256Mi")).endEmptyDir().build();
    List<Volume> volumes = new ArrayList<>(List.of(config, secret, dataVolume(cr, s), tmp));
    if (RevokedTokenIdsFile.rendered(s)) {
      volumes.add(new VolumeBuilder()
          .withName(REVOCATIONS_VOLUME)
          .withNewConfigMap()
          .withName(Names.serverConfig(cr))
          .addNewItem()
          .withKey(ServerConfig.REVOKED_IDS_FILE_NAME)
          .withPath(ServerConfig.REVOKED_IDS_FILE_NAME)
          .endItem()
          .endConfigMap()
          .build());
    }
    return volumes;
  }

  private static Volume dataVolume(TurboCache cr, ResolvedSpec s) {
    ResolvedSpec.Disk disk = s.disk();
    if (disk.enabled() && disk.storageClassName() != null) {
      // per-pod PVC created and deleted with the pod (generic ephemeral volume)
      return new VolumeBuilder()
          .withName(DATA_VOLUME)
          .withNewEphemeral()
          .withNewVolumeClaimTemplate()
          .withNewMetadata()
          .withLabels(Labels.of(cr, Labels.Component.CACHE_SERVER))
          .endMetadata()
          .withNewSpec()
          .withAccessModes("ReadWriteOnce")
          .withStorageClassName(disk.storageClassName())
          .withNewResources()
          .addToRequests("storage", new Quantity(disk.size()))
          .endResources()
          .endSpec()
          .endVolumeClaimTemplate()
          .endEphemeral()
          .build();
    }
    return new VolumeBuilder()
        .withName(DATA_VOLUME)
        .withNewEmptyDir()
        .withSizeLimit(new Quantity(disk.enabled() ? disk.size() : SCRATCH_SIZE))
        .endEmptyDir()
        .build();
  }

  /** Prefer spreading cache servers over nodes; replaced entirely by podTemplate.spec.affinity. */
  private static Affinity defaultAffinity(TurboCache cr) {
    return new AffinityBuilder()
        .withNewPodAntiAffinity()
        .addNewPreferredDuringSchedulingIgnoredDuringExecution()
        .withWeight(100)
        .withNewPodAffinityTerm()
        .withTopologyKey("kubernetes.io/hostname")
        .withNewLabelSelector()
        .withMatchLabels(Labels.selector(cr, Labels.Component.CACHE_SERVER))
        .endLabelSelector()
        .endPodAffinityTerm()
        .endPreferredDuringSchedulingIgnoredDuringExecution()
        .endPodAntiAffinity()
        .build();
  }

  private static void putAll(Map<String, String> target, Map<String, String> source) {
    if (source != null) {
      target.putAll(source);
    }
  }
}
