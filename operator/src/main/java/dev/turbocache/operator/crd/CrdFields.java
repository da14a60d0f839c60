package dev.turbocache.operator.crd;

import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The fields a CRD version's schema declares, as paths such as {@code spec.auth.jwt.issuers} and
 * {@code spec.auth.jwt.issuers[].rules} (a list's elements under {@code []}).
 */
public final class CrdFields {
  private final SortedSet<String> paths;

  private CrdFields(SortedSet<String> paths) {
    this.paths = paths;
  }

  public static CrdFields of(JSONSchemaProps schema) {
    SortedSet<String> paths = new TreeSet<>();
    walk(schema, "", paths);
    return new CrdFields(paths);
  }

  private static void walk(JSONSchemaProps schema, String at, SortedSet<String> paths) {
    if (schema == null) {
      return;
    }
    Map<String, JSONSchemaProps> properties = schema.getProperties() == null ? Map.of() : schema.getProperties();
    for (Map.Entry<String, JSONSchemaProps> property : properties.entrySet()) {
      String path = at.isEmpty() ? property.getKey() : at + "." + property.getKey();
      paths.add(path);
      walk(property.getValue(), path, paths);
    }
    if (schema.getItems() != null) {
      walk(schema.getItems().getSchema(), at + "[]", paths);
    }
    if (schema.getAdditionalProperties() != null) {
      walk(schema.getAdditionalProperties().getSchema(), at + "{}", paths);
    }
  }

  /**
   * The fields of this schema that {@code other} lacks, outermost only: when {@code other} lacks
   * {@code spec.auth.jwt}, that one path stands for everything under it.
   */
  public List<String> missingFrom(CrdFields other) {
    SortedSet<String> missing = new TreeSet<>(paths);
    missing.removeAll(other.paths);
    return missing.stream().filter(path -> missing.stream().noneMatch(outer -> within(path, outer))).toList();
  }

  private static boolean within(String path, String outer) {
    return path.startsWith(outer + ".") || path.startsWith(outer + "[]") || path.startsWith(outer + "{}");
  }

  public SortedSet<String> paths() {
    return paths;
  }
}
