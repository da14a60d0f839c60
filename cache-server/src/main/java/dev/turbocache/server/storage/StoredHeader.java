package dev.turbocache.server.storage;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.turbocache.server.artifact.ArtifactKey;
import dev.turbocache.server.artifact.ArtifactMetadata;
import dev.turbocache.server.artifact.MetadataField;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * The JSON header that tiers storing body and metadata in one blob (disk files, Redis values)
 * write in front of the body: the key, then the metadata's fields beside it. Repeating the key
 * lets a blob be checked against (or indexed by) its content alone. The creation time is an
 * ISO-8601 string. Read with the object mapper; written field by field through its generator,
 * in the order and form the mapper writes them (StoredHeaderTest compares the two): every upload
 * writes one, and the mapper's record serializer calls each accessor by reflection, which kept
 * the JIT compiling method-handle and date-formatter code through the first seconds of uploads.
 *
 * @param version a per-tier version number, or null for tiers that do not keep versions
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StoredHeader(
    String team, String hash, Long version, @JsonUnwrapped ArtifactMetadata metadata) {

  private static final ObjectMapper JSON = JsonMapper.builder()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .addModule(new JavaTimeModule())
      .build();

  public static StoredHeader of(ArtifactKey key, Long version, ArtifactMetadata m) {
    return new StoredHeader(key.team(), key.hash(), version, m);
  }

  public byte[] toJson() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator json = JSON.getFactory().createGenerator(out, JsonEncoding.UTF8)) {
      json.writeStartObject();
      writeString(json, "team", team);
      writeString(json, "hash", hash);
      if (version != null) {
        json.writeNumberField("version", version);
      }
      if (metadata != null) {
        json.writeNumberField("size", metadata.size());
        // In declaration order, which is the record's; absent fields are left out (NON_NULL).
        for (MetadataField field : MetadataField.values()) {
          String text = field.text(metadata);
          if (field == MetadataField.DURATION_MS && text != null) {
            json.writeNumberField(field.jsonName(), metadata.durationMs());
          } else {
            writeString(json, field.jsonName(), text);
          }
        }
      }
      json.writeEndObject();
    }
    return out.toByteArray();
  }

  private static void writeString(JsonGenerator json, String name, String value) throws IOException {
    if (value != null) {
      json.writeStringField(name, value);
    }
  }

  /**
   * Parses a header and checks it names a valid key and metadata.
   *
   * @throws IOException with a short reason when the bytes are not a valid header
   */
  public static StoredHeader parse(byte[] bytes, int offset, int length) throws IOException {
    try {
      StoredHeader h = JSON.readValue(bytes, offset, length, StoredHeader.class);
      h.key();
      if (h.metadata() == null) {
        throw new IllegalArgumentException("no metadata");
      }
      return h;
    } catch (JacksonException | IllegalArgumentException | NullPointerException e) {
      throw new IOException("unreadable header: " + e.getMessage());
    }
  }

  public ArtifactKey key() {
    return new ArtifactKey(team, hash);
  }
}
