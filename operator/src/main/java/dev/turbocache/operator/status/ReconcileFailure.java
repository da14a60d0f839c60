package dev.turbocache.operator.status;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.AggregatedOperatorException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Why a reconciliation failed, as the Degraded condition tells it: a reason a tool can match on and
 * a message a user can act on. The API server's own words are kept (they name the object, the verb
 * and the identity), since they are what the user searches for.
 */
public record ReconcileFailure(Reason reason, String message) {

  public enum Reason {
    /** The API server refused the operator a verb on a resource (RBAC). */
    PermissionDenied,
    /** The API server rejected an object the operator rendered. */
    ChildRejected,
    /** Anything else (connection trouble, a bug). */
    ReconcileError
  }

  static final String RBAC_HINT = "grant it in the operator's ClusterRole (examples/install/operator.yaml,"
      + " or the Helm chart's RBAC)";

  public static ReconcileFailure of(Exception e) {
    List<KubernetesClientException> apiErrors = apiErrors(e);
    List<String> forbidden = messages(apiErrors, 403);
    if (!forbidden.isEmpty()) {
      return new ReconcileFailure(Reason.PermissionDenied,
          "the operator lacks a permission: " + String.join("; ", forbidden) + " - " + RBAC_HINT);
    }
    List<String> rejected = messages(apiErrors, 422);
    if (!rejected.isEmpty()) {
      return new ReconcileFailure(Reason.ChildRejected, "the API server rejected a child: " + String.join("; ", rejected));
    }
    Throwable root = rootCause(e);
    String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return new ReconcileFailure(Reason.ReconcileError, message);
  }

  /** The innermost cause of {@code e} (e itself when it has none). */
  public static Throwable rootCause(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root;
  }

  /** Every API error in the exception, its causes and (for a failed workflow) each dependent's exception. */
  private static List<KubernetesClientException> apiErrors(Throwable t) {
    List<KubernetesClientException> out = new ArrayList<>();
    collect(t, out, new LinkedHashSet<>());
    return out;
  }

  private static void collect(Throwable t, List<KubernetesClientException> out, Set<Throwable> seen) {
    if (t == null || !seen.add(t)) {
      return;
    }
    if (t instanceof KubernetesClientException k && k.getCode() > 0) {
      out.add(k);
      return;
    }
    if (t instanceof AggregatedOperatorException a) {
      a.getAggregatedExceptions().values().forEach(x -> collect(x, out, seen));
    }
    collect(t.getCause(), out, seen);
  }

  private static List<String> messages(List<KubernetesClientException> errors, int code) {
    return errors.stream()
        .filter(e -> e.getCode() == code)
        .map(e -> e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage())
        .distinct()
        .sorted()
        .toList();
  }
}
