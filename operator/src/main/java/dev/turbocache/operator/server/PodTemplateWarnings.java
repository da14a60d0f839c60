package dev.turbocache.operator.server;

import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.api.v1alpha1.spec.PodTemplateOverrides;
import dev.turbocache.operator.model.Labels;
import dev.turbocache.operator.model.ResolvedSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What in {@code spec.server.podTemplate} tries to override a field the operator owns, and is
 * therefore ignored. The schema only lets labels, annotations and scheduling fields through, so the
 * container (security context, probes, command) and the volumes (config, tokens) are out of reach
 * already; what is left are the operator's selector labels and its config checksum annotation.
 */
public final class PodTemplateWarnings {
  private static final String PREFIX = "spec.server.podTemplate.metadata.";

  private PodTemplateWarnings() {}

  /** Human-readable warnings, empty when nothing is overridden. */
  public static List<String> of(TurboCache cr) {
    PodTemplateOverrides.Metadata metadata = ResolvedSpec.of(cr).podTemplate().metadata;
    List<String> warnings = new ArrayList<>();
    if (metadata == null) {
      return warnings;
    }
    Map<String, String> owned = Labels.of(cr, Labels.Component.CACHE_SERVER);
    if (metadata.labels != null) {
      metadata.labels.forEach((key, value) -> {
        if (owned.containsKey(key) && !owned.get(key).equals(value)) {
          warnings.add(PREFIX + "labels." + key + " is ignored: the operator sets it to '" + owned.get(key)
              + "' (pod selector)");
        }
      });
    }
    if (metadata.annotations != null && metadata.annotations.containsKey(ServerDeployment.CHECKSUM_ANNOTATION)) {
      warnings.add(PREFIX + "annotations." + ServerDeployment.CHECKSUM_ANNOTATION
          + " is ignored: the operator sets it to roll pods when config or tokens change");
    }
    return warnings;
  }
}
