package dev.turbocache.operator.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;

/** mode Standalone: one Redis pod, no replicas and no failover; for small installs. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RedisStandaloneSpec extends ManagedRedisSpec {}
