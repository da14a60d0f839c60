package dev.turbocache.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.turbocache.server.artifact.ArtifactKey;
import dev.turbocache.server.artifact.ArtifactMetadata;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class StoredHeaderTest {
  /** How the header was written before it had a writer of its own: the mapper, as parse() reads it. */
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .addModule(new JavaTimeModule())
      .build();

  static StoredHeader[] headers() {
    ArtifactKey key = new ArtifactKey("team-a", "0123456789abcdef");
    // Every field set: a field added to the metadata and not to the writer makes this one differ.
    ArtifactMetadata full = new ArtifactMetadata(4096, 1234L, "tag\"with\\escapes", "a1b2c3", "d4e5",
        "github_actions", Instant.parse("2026-12-02T13:40:05.123456Z"));
    return new StoredHeader[] {
        StoredHeader.of(key, 7L, full),
        StoredHeader.of(key, null, full),
        StoredHeader.of(key, 1L, new ArtifactMetadata(0, null, null, null, null, null, null)),
        StoredHeader.of(new ArtifactKey("team-b", "ff"), 2L, new ArtifactMetadata(1, 5L, "tag-ü-\u2603",
            null, null, "vercel", Instant.parse("2026-01-01T00:00:00Z"))),
    };
  }

  @ParameterizedTest
  @MethodSource("headers")
  void writesWhatTheMapperWrites(StoredHeader header) throws Exception {
    assertThat(new String(header.toJson(), StandardCharsets.UTF_8))
        .isEqualTo(MAPPER.writeValueAsString(header));
  }

  @ParameterizedTest
  @MethodSource("headers")
  void readsBackWhatItWrote(StoredHeader header) throws Exception {
    byte[] json = header.toJson();
    assertThat(StoredHeader.parse(json, 0, json.length)).isEqualTo(header);
  }
}
