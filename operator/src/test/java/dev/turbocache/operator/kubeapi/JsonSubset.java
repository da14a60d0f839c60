package dev.turbocache.operator.kubeapi;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Where a live object differs from what the operator rendered: every field the rendered object sets
 * must hold the same value in the live one, which may have more (defaults and status the API server
 * adds, fields other managers own). Lists must match element by element.
 */
public final class JsonSubset {
  private JsonSubset() {}

  /** The paths (".spec.template.spec.containers[0].image: expected … but was …") where {@code actual} differs. */
  public static List<String> differences(Object expected, Object actual) {
    List<String> out = new ArrayList<>();
    compare(Serialization.jsonMapper().valueToTree(expected), Serialization.jsonMapper().valueToTree(actual), "", out);
    return out;
  }

  private static void compare(JsonNode expected, JsonNode actual, String path, List<String> out) {
    if (expected == null || expected.isNull()) {
      return;
    }
    if (actual == null || actual.isMissingNode() || actual.isNull()) {
      out.add(path + ": expected " + expected + " but it is absent");
    } else if (expected.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        compare(field.getValue(), actual.get(field.getKey()), path + "." + field.getKey(), out);
      }
    } else if (expected.isArray()) {
      if (!actual.isArray() || actual.size() != expected.size()) {
        out.add(path + ": expected " + expected + " but was " + actual);
        return;
      }
      for (int i = 0; i < expected.size(); i++) {
        compare(expected.get(i), actual.get(i), path + "[" + i + "]", out);
      }
    } else if (!expected.asText().equals(actual.asText()) || expected.isContainerNode() != actual.isContainerNode()) {
      out.add(path + ": expected " + expected + " but was " + actual);
    }
  }
}
