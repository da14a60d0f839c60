package dev.turbocache.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turbocache.server.admin.AdminApi;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void instantsAreIsoStringsWithTheModuleTheMapperRegistersItself() throws Exception {
    // The test classpath has more Jackson modules than the shipped jar; the mapper must not
    // depend on finding them there.
    assertThat(Json.MAPPER.getRegisteredModuleIds()).containsExactly("jackson-datatype-jsr310");

    Instant at = Instant.parse("2026-01-02T03:04:05.678Z");
    String json = Json.MAPPER.writeValueAsString(new AdminApi.ResetResponse(at));

    assertThat(json).isEqualTo("{\"since\":\"2026-01-02T03:04:05.678Z\"}");
    assertThat(Json.MAPPER.readValue(json, AdminApi.ResetResponse.class).since()).isEqualTo(at);
  }
}
