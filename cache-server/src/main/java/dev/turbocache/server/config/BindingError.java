package dev.turbocache.server.config;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * What a person reads when a setting's value does not fit its type: the setting (and, for one
 * that has it, its environment variable), then what it takes and what it was given, instead of
 * Jackson's account in Java types ("Cannot deserialize value of type `int` from String").
 */
final class BindingError {
  private BindingError() {}

  /** @param tree the configuration tree that failed to bind, to show what the setting held */
  static String describe(JsonMappingException e, JsonNode tree) {
    String path = path(e.getPath());
    String setting = path.isEmpty() ? "the configuration"
        : path.contains("[") ? path : path + " (" + ConfigLoader.envName(path) + ")";
    Throwable cause = e.getCause();
    if (cause instanceof IllegalArgumentException || (e instanceof ValueInstantiationException && cause != null)) {
      return setting + ": " + ConfigLoader.rootMessage(cause);
    }
    if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
      return setting + ": expected " + expected(m.getTargetType()) + ", not " + given(at(tree, e.getPath()));
    }
    return setting + ": " + e.getOriginalMessage();
  }

  /** {@code storage.memory.maxSize}, {@code auth.jwt.issuers[0].audiences}. */
  private static String path(List<JsonMappingException.Reference> references) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : references) {
      if (r.getFieldName() != null) {
        sb.append(sb.isEmpty() ? "" : ".").append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.toString();
  }

  private static JsonNode at(JsonNode tree, List<JsonMappingException.Reference> references) {
    JsonNode node = tree;
    for (JsonMappingException.Reference r : references) {
      if (node == null) {
        return null;
      }
      node = r.getFieldName() != null ? node.get(r.getFieldName()) : node.get(r.getIndex());
    }
    return node;
  }

  private static String expected(Class<?> type) {
    if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
      return "a whole number";
    }
    if (type == double.class || type == Double.class) {
      return "a number";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a string";
    }
    if (type == ByteSize.class) {
      return "a size such as 512Mi";
    }
    if (type == Duration.class) {
      return "a duration such as 30s";
    }
    if (Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "a list such as [a, b]";
    }
    if (type.isEnum()) {
      return "one of " + Arrays.toString(type.getEnumConstants());
    }
    return Map.class.isAssignableFrom(type) || type.isRecord() ? "a mapping" : "a value of another kind";
  }

  private static String given(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return "nothing";
    }
    if (node.isArray()) {
      return "a list";
    }
    if (node.isObject()) {
      return "a mapping";
    }
    return "'" + node.asText() + "'";
  }
}
