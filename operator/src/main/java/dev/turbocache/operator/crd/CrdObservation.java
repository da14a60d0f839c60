package dev.turbocache.operator.crd;

import dev.turbocache.operator.status.ComponentCondition;
import dev.turbocache.operator.status.ComponentObservation;
import dev.turbocache.operator.status.Warning;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What the installed TurboCache CRD lacks of this operator's, as a warning on every TurboCache.
 *
 * @param known whether the installed CRD could be read at all
 * @param missing the outermost fields it lacks
 */
public record CrdObservation(boolean known, List<String> missing) implements ComponentObservation {
  public static final String OUTDATED = "CrdOutdated";
  static final CrdObservation UNKNOWN = new CrdObservation(false, List.of());
  /** How many missing fields the message names before it counts the rest. */
  private static final int NAMED = 5;

  public CrdObservation {
    missing = List.copyOf(missing);
  }

  static CrdObservation missing(List<String> missing) {
    return new CrdObservation(true, missing);
  }

  public boolean outdated() {
    return !missing.isEmpty();
  }

  @Override
  public Optional<ComponentCondition> condition() {
    return Optional.empty();
  }

  @Override
  public List<Warning> warnings() {
    if (!outdated()) {
      return List.of();
    }
    String named = String.join(", ", missing.subList(0, Math.min(NAMED, missing.size())))
        + (missing.size() > NAMED ? " and " + (missing.size() - NAMED) + " more" : "");
    return List.of(new Warning(OUTDATED, "The TurboCache CRD in the cluster is older than this operator: it lacks "
        + named + ", and the API server drops such fields from every TurboCache it stores. Apply this operator's"
        + " CRD: kubectl apply --server-side -f crds/ (helm upgrade does not update CRDs)"));
  }

  /** While the CRD is outdated, look again: applying the new one sends no TurboCache event. */
  @Override
  public Optional<Duration> recheckAfter() {
    return outdated() ? Optional.of(InstalledCrd.TTL) : Optional.empty();
  }
}
