package dev.turbocache.server.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.io.IOException;
import java.util.Collection;
import java.util.Map;

/**
 * What was wrong with a client's JSON, in terms of the JSON: where the syntax broke, or which
 * field held what instead of what. Jackson's own messages name Java types and classes of this
 * server, which mean nothing to a client and should not be shown to it.
 */
final class JsonProblem {
  private JsonProblem() {}

  static String describe(IOException e) {
    // Jackson wraps a syntax error met inside a field or an array in a mapping error.
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof StreamReadException syntax) {
        return "invalid JSON" + where(syntax.getLocation()) + ": " + syntaxMessage(syntax);
      }
      if (t.getCause() == t) {
        break;
      }
    }
    if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
      return at(mismatch) + "expected " + jsonType(mismatch.getTargetType()) + ", got "
          + found(mismatch);
    }
    if (e instanceof DatabindException databind) {
      return at(databind) + "the value does not have the expected shape";
    }
    return "the body could not be read as JSON";
  }

  /** {@code $.hashes[2]: } for a problem inside the document, nothing at its root. */
  private static String at(DatabindException e) {
    if (!(e instanceof JsonMappingException mapping) || mapping.getPath().isEmpty()) {
      return "";
    }
    StringBuilder path = new StringBuilder("$");
    for (JsonMappingException.Reference ref : mapping.getPath()) {
      if (ref.getFieldName() != null) {
        path.append('.').append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path + ": ";
  }

  private static String jsonType(Class<?> type) {
    if (type.isArray() || Collection.class.isAssignableFrom(type)) {
      return "an array";
    }
    if (type == String.class || type == Character.class || type == char.class) {
      return "a string";
    }
    if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class)) {
      return "a number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (Map.class.isAssignableFrom(type) || !type.getName().startsWith("java.")) {
      return "an object";
    }
    return "a different value";
  }

  private static String found(MismatchedInputException e) {
    JsonToken token = e.getProcessor() instanceof JsonParser parser ? parser.currentToken() : null;
    if (token == null) {
      return "something else";
    }
    return switch (token) {
      case START_ARRAY, END_ARRAY -> "an array";
      case START_OBJECT, END_OBJECT, FIELD_NAME -> "an object";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> "something else";
    };
  }

  private static String where(JsonLocation location) {
    if (location == null || location.getLineNr() < 1) {
      return "";
    }
    return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
  }

  /** The parser's explanation without the location it appends (that names the input source). */
  private static String syntaxMessage(StreamReadException e) {
    String message = e.getOriginalMessage();
    if (message == null) {
      return "malformed";
    }
    int cut = message.indexOf(" (start marker at");
    if (cut < 0) {
      cut = message.indexOf(" at [Source");
    }
    String line = (cut < 0 ? message : message.substring(0, cut)).lines().findFirst().orElse("");
    return line.length() > 200 ? line.substring(0, 200) : line;
  }
}
