package dev.turbocache.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class TurboCacheStatus {
  @JsonPropertyDescription("The metadata.generation this status describes.")
  public Long observedGeneration;

  @JsonPropertyDescription("Ready, Progressing, Degraded, Paused, per component ServerReady, RedisReady, BucketReady and MonitoringReady, and Warnings (spec fields the operator ignores or does not support yet, or a CRD in the cluster older than the operator).")
  public List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("In-cluster URL for TURBO_API, e.g. http://<name>.<namespace>.svc:<port>.")
  public String endpoint;

  @JsonPropertyDescription("Replica counts of the cache-server Deployment.")
  public ServerStatus server;

  @JsonPropertyDescription("The operator-managed Redis (modes Sentinel and Standalone).")
  public RedisStatus redis;

  @JsonPropertyDescription("The s3 tier's bucket: name, region, the cache servers' least-privilege IAM policy and, while a deleted TurboCache empties it, the progress.")
  public BucketStatus bucket;

  @JsonPropertyDescription("ServiceMonitor, PrometheusRule and dashboard, when spec.monitoring asks for them.")
  public MonitoringStatus monitoring;
}
