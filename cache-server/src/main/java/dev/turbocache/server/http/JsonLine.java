package dev.turbocache.server.http;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/**
 * A log line that is one JSON object and writes itself into a generator: the JSON access appender
 * renders a whole batch of them straight into bytes through one generator, instead of formatting
 * each into a string, copying it with the line separator and encoding the copy.
 */
public interface JsonLine {
  void writeTo(JsonGenerator json) throws IOException;
}
