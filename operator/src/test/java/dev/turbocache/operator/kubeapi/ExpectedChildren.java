package dev.turbocache.operator.kubeapi;

import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.controller.TurboCacheReconciler;
import dev.turbocache.operator.dependent.TurboCacheDependent;
import dev.turbocache.operator.model.Names;
import dev.turbocache.operator.server.ServerSecrets;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/**
 * The children a TurboCache should have, computed the way the operator does: every dependent of the
 * reconciler's workflow whose reconcile precondition holds, rendered by its pure static
 * {@code desired}. Follows the workflow annotation, so a new dependent is covered without editing
 * this class. Children behind an activation condition (the prometheus-operator kinds) depend on
 * what the cluster has installed, not on the TurboCache alone: they are left out here and covered
 * by MonitoringKubeApiIT.
 */
public final class ExpectedChildren {
  private ExpectedChildren() {}

  /** @param secrets the Secrets of the namespace as they are (the referenced ones, the generated Redis password) */
  public static List<HasMetadata> of(TurboCache cr, List<Secret> secrets) {
    ServerSecrets observed = ServerSecrets.observe(cr, secrets);
    Secret auth = secrets.stream().filter(s -> s.getMetadata().getName().equals(Names.redisAuth(cr))).findFirst().orElse(null);
    List<HasMetadata> out = new ArrayList<>();
    for (Dependent d : TurboCacheReconciler.class.getAnnotation(Workflow.class).dependents()) {
      if (activatedByTheCluster(d)) {
        continue;
      }
      if (preconditionHolds(d, cr)) {
        out.add(render(d.type(), cr, observed, auth));
      }
    }
    return out;
  }

  /** A child that must not exist: its kind and name. */
  public record Absent(Class<? extends HasMetadata> type, String name) {}

  /** The dependents whose precondition does not hold: their children must not exist. */
  public static List<Absent> absent(TurboCache cr) {
    List<Absent> out = new ArrayList<>();
    for (Dependent d : TurboCacheReconciler.class.getAnnotation(Workflow.class).dependents()) {
      if (!activatedByTheCluster(d) && !preconditionHolds(d, cr)) {
        try {
          TurboCacheDependent<?> dependent = (TurboCacheDependent<?>) d.type().getDeclaredConstructor().newInstance();
          out.add(new Absent(dependent.resourceType(), dependent.childName(cr)));
        } catch (ReflectiveOperationException e) {
          throw new AssertionError("cannot instantiate " + d.type(), e);
        }
      }
    }
    return out;
  }

  private static boolean activatedByTheCluster(Dependent d) {
    return d.activationCondition() != Condition.class;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static boolean preconditionHolds(Dependent d, TurboCache cr) {
    if (d.reconcilePrecondition() == Condition.class) {
      return true; // the annotation's default: no precondition
    }
    try {
      Condition condition = d.reconcilePrecondition().getDeclaredConstructor().newInstance();
      return condition.isMet(null, cr, null);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("cannot evaluate " + d.reconcilePrecondition(), e);
    }
  }

  private static HasMetadata render(Class<?> dependent, TurboCache cr, ServerSecrets secrets, Secret auth) {
    try {
      for (Method m : dependent.getMethods()) {
        if (m.getName().equals("desired") && Modifier.isStatic(m.getModifiers())) {
          Class<?>[] p = m.getParameterTypes();
          if (p.length == 1 && p[0] == TurboCache.class) {
            return (HasMetadata) m.invoke(null, cr);
          }
          if (p.length == 2 && p[0] == TurboCache.class && p[1] == ServerSecrets.class) {
            return (HasMetadata) m.invoke(null, cr, secrets);
          }
          if (p.length == 2 && p[0] == TurboCache.class && p[1] == Secret.class) {
            return (HasMetadata) m.invoke(null, cr, auth);
          }
        }
      }
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("cannot render " + dependent.getSimpleName(), e);
    }
    throw new AssertionError(dependent.getSimpleName() + " has no static desired(TurboCache[, ServerSecrets | Secret])");
  }
}
