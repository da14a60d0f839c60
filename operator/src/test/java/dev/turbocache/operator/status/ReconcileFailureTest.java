package dev.turbocache.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.AggregatedOperatorException;
import io.javaoperatorsdk.operator.OperatorException;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReconcileFailureTest {
  static final String FORBIDDEN = "poddisruptionbudgets.policy \"monorepo\" is forbidden: User"
      + " \"system:serviceaccount:turbocache-system:turbocache-operator\" cannot patch resource"
      + " \"poddisruptionbudgets\" in API group \"policy\" in the namespace \"build-infra\"";

  static KubernetesClientException apiError(int code, String message) {
    Status status = new StatusBuilder().withCode(code).withMessage(message).build();
    return new KubernetesClientException("Failure executing: PATCH at: https://...: " + message, code, status);
  }

  @Test
  void aForbiddenChildInAFailedWorkflowIsAPermissionProblemNamingTheVerbAndResource() {
    Map<String, Exception> failures = new LinkedHashMap<>();
    failures.put("disruption-budget", new OperatorException(apiError(403, FORBIDDEN)));
    ReconcileFailure f = ReconcileFailure.of(new AggregatedOperatorException("Exception(s) during workflow execution.", failures));
    assertThat(f.reason()).isEqualTo(ReconcileFailure.Reason.PermissionDenied);
    assertThat(f.message()).contains("cannot patch resource \"poddisruptionbudgets\"").contains("ClusterRole");
  }

  @Test
  void aRejectedChildSaysWhatTheApiServerSaid() {
    ReconcileFailure f = ReconcileFailure.of(apiError(422, "Deployment.apps \"monorepo\" is invalid: spec.replicas: Invalid value: -1"));
    assertThat(f.reason()).isEqualTo(ReconcileFailure.Reason.ChildRejected);
    assertThat(f.message()).contains("spec.replicas: Invalid value");
  }

  @Test
  void anythingElseKeepsTheRootCause() {
    ReconcileFailure f = ReconcileFailure.of(new OperatorException(new IOException("connection refused")));
    assertThat(f.reason()).isEqualTo(ReconcileFailure.Reason.ReconcileError);
    assertThat(f.message()).isEqualTo("connection refused");
  }
}
