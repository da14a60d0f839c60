package dev.turbocache.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.oas.models.media.Schema;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks a parsed JSON body against an OpenAPI 3.0 schema (references already resolved by the
 * parser): types, required properties, nullability, enums and date-time strings, into properties,
 * array items and additionalProperties. It is what a client generated from the document would
 * rely on, not a full JSON Schema validator.
 */
public final class ResponseSchema {
  private ResponseSchema() {}

  /** Every way {@code body} differs from {@code schema}, each with its JSON path; empty if none. */
  public static List<String> problems(Schema<?> schema, JsonNode body) {
    List<String> problems = new ArrayList<>();
    check("$", schema, body, problems);
    return problems;
  }

  private static void check(String path, Schema<?> schema, JsonNode node, List<String> problems) {
    if (schema == null) {
      return;
    }
    if (node.isNull()) {
      if (!Boolean.TRUE.equals(schema.getNullable())) {
        problems.add(path + " is null but not nullable");
      }
      return;
    }
    String type = schema.getType();
    if (type == null) {
      return; // {} or {type: object} without constraints: anything goes
    }
    switch (type) {
      case "object" -> checkObject(path, schema, node, problems);
      case "array" -> {
        if (!node.isArray()) {
          problems.add(path + " should be an array: " + node);
          return;
        }
        for (int i = 0; i < node.size(); i++) {
          check(path + "[" + i + "]", schema.getItems(), node.get(i), problems);
        }
      }
      case "string" -> checkString(path, schema, node, problems);
      case "integer" -> expect(node.isIntegralNumber(), path, "an integer", node, problems);
      case "number" -> expect(node.isNumber(), path, "a number", node, problems);
      case "boolean" -> expect(node.isBoolean(), path, "a boolean", node, problems);
      default -> problems.add(path + ": unknown schema type " + type);
    }
  }

  private static void checkObject(String path, Schema<?> schema, JsonNode node, List<String> problems) {
    if (!node.isObject()) {
      problems.add(path + " should be an object: " + node);
      return;
    }
    if (schema.getRequired() != null) {
      for (String name : schema.getRequired()) {
        if (!node.has(name)) {
          problems.add(path + "." + name + " is required but missing");
        }
      }
    }
    Map<String, Schema> properties = schema.getProperties() == null ? Map.of() : schema.getProperties();
    node.properties().forEach(field -> {
      Schema<?> property = properties.get(field.getKey());
      if (property == null && schema.getAdditionalProperties() instanceof Schema<?> additional) {
        property = additional;
      }
      check(path + "." + field.getKey(), property, field.getValue(), problems);
    });
  }

  private static void checkString(String path, Schema<?> schema, JsonNode node, List<String> problems) {
    if (!node.isTextual()) {
      problems.add(path + " should be a string: " + node);
      return;
    }
    String value = node.asText();
    if (schema.getEnum() != null && !schema.getEnum().isEmpty()
        && schema.getEnum().stream().noneMatch(e -> String.valueOf(e).equals(value))) {
      problems.add(path + " is '" + value + "', not one of " + schema.getEnum());
    }
    if ("date-time".equals(schema.getFormat())) {
      try {
        OffsetDateTime.parse(value);
      } catch (DateTimeParseException e) {
        problems.add(path + " is '" + value + "', not an RFC 3339 date-time");
      }
    }
  }

  private static void expect(boolean ok, String path, String what, JsonNode node, List<String> problems) {
    if (!ok) {
      problems.add(path + " should be " + what + ": " + node);
    }
  }
}
