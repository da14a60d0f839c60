package dev.turbocache.operator.kubeapi;

import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.controller.TurboCacheReconciler;
import dev.turbocache.operator.server.ServerSecrets;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/**
 * The children a TurboCache should have, computed the way the operator does: every dependent of the
 * reconciler's workflow whose reconcile precondition holds, rendered by its pure static
 * {@code desired}. Follows the workflow annotation, so a new dependent is covered without editing
 * this class.
 */
public final class ExpectedChildren {
  private ExpectedChildren() {}

  public static List<HasMetadata> of(TurboCache cr, ServerSecrets secrets) {
    List<HasMetadata> out = new ArrayList<>();
    for (Dependent d : TurboCacheReconciler.class.getAnnotation(Workflow.class).dependents()) {
      if (preconditionHolds(d, cr)) {
        out.add(render(d.type(), cr, secrets));
      }
    }
    return out;
  }

  /** The dependents whose precondition does not hold: their children must not exist. */
  public static List<Class<? extends HasMetadata>> absentTypes(TurboCache cr) {
    List<Class<? extends HasMetadata>> out = new ArrayList<>();
    for (Dependent d : TurboCacheReconciler.class.getAnnotation(Workflow.class).dependents()) {
      if (!preconditionHolds(d, cr)) {
        try {
          out.add(((KubernetesDependentResource<?, ?>) d.type().getDeclaredConstructor().newInstance()).resourceType());
        } catch (ReflectiveOperationException e) {
          throw new AssertionError("cannot instantiate " + d.type(), e);
        }
      }
    }
    return out;
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

  private static HasMetadata render(Class<?> dependent, TurboCache cr, ServerSecrets secrets) {
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
        }
      }
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("cannot render " + dependent.getSimpleName(), e);
    }
    throw new AssertionError(dependent.getSimpleName() + " has no static desired(TurboCache[, ServerSecrets])");
  }
}
