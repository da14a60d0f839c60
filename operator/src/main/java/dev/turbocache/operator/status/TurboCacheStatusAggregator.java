package dev.turbocache.operator.status;

import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.api.v1alpha1.TurboCacheStatus;
import dev.turbocache.operator.model.ResolvedSpec;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Builds the whole TurboCache status from what the components observed. The only place where
 * conditions are built: each condition keeps its lastTransitionTime unless its status changes.
 *
 * <p>Conditions, in this order: Ready, Progressing, Degraded, Paused, then every component's own
 * (ServerReady, RedisReady, ...) in component order, then Warnings.
 */
public final class TurboCacheStatusAggregator {
  public static final String READY = "Ready";
  public static final String PROGRESSING = "Progressing";
  public static final String DEGRADED = "Degraded";
  public static final String PAUSED = "Paused";
  /** True when the spec asks for something the operator ignores; never affects Ready. */
  public static final String WARNINGS = "Warnings";

  private final Clock clock;

  public TurboCacheStatusAggregator(Clock clock) {
    this.clock = clock;
  }

  /**
   * @param components one observation per component, in the order their conditions are listed
   * @param failure why the reconciliation failed, or null
   */
  public TurboCacheStatus aggregate(TurboCache cr, List<ComponentObservation> components, ReconcileFailure failure) {
    long generation = Objects.requireNonNullElse(cr.getMetadata().getGeneration(), 0L);
    List<Condition> previous = cr.getStatus() == null ? List.of() : cr.getStatus().conditions;
    boolean paused = ResolvedSpec.of(cr).paused();

    TurboCacheStatus status = new TurboCacheStatus();
    status.observedGeneration = generation;
    components.forEach(c -> c.describe(status));

    List<ComponentCondition> own = components.stream().map(ComponentObservation::condition).flatMap(Optional::stream).toList();
    Optional<ComponentCondition> waitingFor = own.stream().filter(c -> c.required() && !c.ready()).findFirst();
    State degraded = degraded(components, failure);

    State ready = degraded.status
        ? new State(false, "Degraded", degraded.message)
        : waitingFor.map(c -> new State(false, c.type().replace("Ready", "") + "NotReady", c.message()))
            .orElseGet(() -> new State(true, "Ready", "The cache is serving at " + status.endpoint));
    State progressing = paused
        ? new State(false, "Paused", "Changes are not applied while spec.paused is true")
        : degraded.status
            ? new State(false, "Blocked", degraded.message)
            : waitingFor.map(c -> new State(true, c.reason(), c.message()))
                .orElseGet(() -> new State(false, "Complete", "All components are up to date"));
    State pausedState = paused
        ? new State(true, "SpecPaused", "spec.paused is true: the operator does not change the children of this TurboCache")
        : new State(false, "NotPaused", "Reconciling normally");

    List<Condition> conditions = new ArrayList<>();
    conditions.add(condition(READY, ready, generation, previous));
    conditions.add(condition(PROGRESSING, progressing, generation, previous));
    conditions.add(condition(DEGRADED, degraded, generation, previous));
    conditions.add(condition(PAUSED, pausedState, generation, previous));
    for (ComponentCondition c : own) {
      conditions.add(condition(c.type(), new State(c.ready(), c.reason(), c.message()), generation, previous));
    }
    conditions.add(condition(WARNINGS, warnings(components), generation, previous));
    status.conditions = conditions;
    return status;
  }

  private record State(boolean status, String reason, String message) {}

  /** The components' problems first (the first one names the reason), then a failed reconciliation. */
  private static State degraded(List<ComponentObservation> components, ReconcileFailure failure) {
    List<Problem> problems = components.stream().flatMap(c -> c.problems().stream()).toList();
    if (!problems.isEmpty()) {
      return new State(true, problems.get(0).reason(), joined(problems.stream().map(Problem::message).toList()));
    }
    if (failure != null) {
      return new State(true, failure.reason().name(), failure.message());
    }
    return new State(false, "AsExpected", "No problems detected");
  }

  private static State warnings(List<ComponentObservation> components) {
    List<Warning> warnings = components.stream().flatMap(c -> c.warnings().stream()).toList();
    if (warnings.isEmpty()) {
      return new State(false, "None", "No warnings");
    }
    return new State(true, warnings.get(0).reason(), joined(warnings.stream().map(Warning::message).toList()));
  }

  private static String joined(List<String> messages) {
    return String.join("; ", messages.stream().distinct().toList());
  }

  private Condition condition(String type, State state, long generation, List<Condition> previous) {
    String status = state.status ? "True" : "False";
    String lastTransition =
        previous.stream()
            .filter(c -> type.equals(c.getType()) && status.equals(c.getStatus()) && c.getLastTransitionTime() != null)
            .map(Condition::getLastTransitionTime)
            .findFirst()
            .orElseGet(() -> clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(state.reason)
        .withMessage(state.message)
        .withObservedGeneration(generation)
        .withLastTransitionTime(lastTransition)
        .build();
  }
}
