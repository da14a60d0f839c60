package dev.turbocache.operator.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.turbocache.operator.api.v1alpha1.ApiDefaults;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ServerSpec {
  @JsonPropertyDescription("Number of cache-server pods; ignored when autoscaling is set.")
  @Default(ApiDefaults.REPLICAS)
  @Min(0)
  public Integer replicas;

  @JsonPropertyDescription("HorizontalPodAutoscaler settings; when set, the HPA owns the replica count.")
  public AutoscalingSpec autoscaling;

  @JsonPropertyDescription("cache-server image; defaults to the image matching the operator version.")
  public String image;

  @JsonPropertyDescription("Image pull policy of the cache-server container.")
  public ImagePullPolicy imagePullPolicy;

  @JsonPropertyDescription("CPU/memory requests and limits of the cache-server container.")
  public ResourceRequirements resources;

  @JsonPropertyDescription("WriteThrough acknowledges uploads after the durable tier has them; WriteBack after the local tiers.")
  @Default(ApiDefaults.WRITE_POLICY)
  public WritePolicy writePolicy;

  @JsonPropertyDescription("Largest artifact the server accepts, e.g. 2Gi.")
  @Default(ApiDefaults.MAX_ARTIFACT_SIZE)
  @Pattern(ApiDefaults.SIZE_PATTERN)
  public String maxArtifactSize;

  @JsonPropertyDescription("How long a keep-alive connection may wait for its next request before the server "
      + "closes it (the server's server.idleTimeout, 620s when unset). Behind a proxy that keeps connections "
      + "to the servers, keep it above the proxy's idle timeout (60s in ingress-nginx and AWS ALB by default, "
      + "600s in Google Cloud's load balancers), else the proxy can send a request on a connection the "
      + "server is closing and answer it 502. Above zero and at most 24d (576h).")
  @Pattern(ApiDefaults.POSITIVE_DURATION_PATTERN)
  @ValidationRule(value = ApiDefaults.AT_MOST_24_DAYS_RULE, message = "server.idleTimeout must be at most 24d (576h): "
      + "the cache server refuses longer timeouts at start-up")
  public String idleTimeout;

  @JsonPropertyDescription("How long a new connection may wait before it sends its first request; it is then "
      + "closed (the server's server.firstRequestTimeout, 60s when unset). Raise it behind a proxy or load "
      + "balancer that opens connections to the servers before it has requests for them. Above zero and at "
      + "most 24d (576h).")
  @Pattern(ApiDefaults.POSITIVE_DURATION_PATTERN)
  @ValidationRule(value = ApiDefaults.AT_MOST_24_DAYS_RULE, message = "server.firstRequestTimeout must be at most "
      + "24d (576h): the cache server refuses longer timeouts at start-up")
  public String firstRequestTimeout;

  @JsonPropertyDescription("Server log level.")
  @Default(ApiDefaults.LOG_LEVEL)
  public LogLevel logLevel;

  @JsonPropertyDescription("JAVA_TOOL_OPTIONS of the server JVM (heap sizing).")
  @Default(ApiDefaults.JAVA_TOOL_OPTIONS)
  public String javaToolOptions;

  @JsonPropertyDescription("Overrides merged into the generated pod template (labels, annotations, scheduling).")
  public PodTemplateOverrides podTemplate;

  @JsonPropertyDescription("The Service in front of the cache servers.")
  public ServiceSpec service;

  @JsonPropertyDescription("Optional Ingress exposing the cache outside the cluster.")
  public IngressSpec ingress;

  public enum WritePolicy { WriteThrough, WriteBack }

  public enum ImagePullPolicy { Always, IfNotPresent, Never }

  public enum LogLevel { trace, debug, info, warn, error }
}
