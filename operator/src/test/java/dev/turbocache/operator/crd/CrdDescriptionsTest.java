package dev.turbocache.operator.crd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.turbocache.operator.api.v1alpha1.TurboCacheSpec;
import dev.turbocache.operator.api.v1alpha1.TurboCacheStatus;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every field of the TurboCache model says what it is, so that {@code kubectl explain} and editors
 * reading the CRD's schema can tell users. Fields of Kubernetes' own types (resources, affinity,
 * conditions...) carry no descriptions from the generator and are not ours to describe.
 */
class CrdDescriptionsTest {
  private static final String MODEL = "dev.turbocache.operator.api.";

  @Test
  void everyFieldOfTheModelHasADescription() {
    List<String> undescribed = new ArrayList<>();
    Set<Class<?>> seen = new HashSet<>();
    walk(TurboCacheSpec.class, "spec", undescribed, seen);
    walk(TurboCacheStatus.class, "status", undescribed, seen);
    assertThat(seen).as("model classes walked").hasSizeGreaterThan(20);
    assertThat(undescribed).as("fields without @JsonPropertyDescription").isEmpty();
  }

  private static void walk(Class<?> type, String path, List<String> undescribed, Set<Class<?>> seen) {
    if (!seen.add(type)) {
      return;
    }
    for (Field field : type.getFields()) {
      if (Modifier.isStatic(field.getModifiers()) || field.isAnnotationPresent(JsonIgnore.class)) {
        continue;
      }
      String at = path + "." + field.getName();
      JsonPropertyDescription description = field.getAnnotation(JsonPropertyDescription.class);
      if (description == null || description.value().isBlank()) {
        undescribed.add(at);
      }
      for (Class<?> inner : modelTypes(field.getGenericType())) {
        walk(inner, at, undescribed, seen);
      }
    }
  }

  /** The model classes a field holds: its own type, or a list's or map's elements. */
  private static List<Class<?>> modelTypes(Type type) {
    List<Class<?>> found = new ArrayList<>();
    if (type instanceof ParameterizedType p) {
      for (Type argument : p.getActualTypeArguments()) {
        found.addAll(modelTypes(argument));
      }
    } else if (type instanceof Class<?> c && !c.isEnum() && c.getName().startsWith(MODEL)) {
      found.add(c);
    }
    return found;
  }
}
