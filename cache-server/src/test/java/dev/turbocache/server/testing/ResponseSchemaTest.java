package dev.turbocache.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turbocache.server.http.Json;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import org.junit.jupiter.api.Test;

/** The schema check the black-box suite relies on catches what it claims to. */
class ResponseSchemaTest {
  private static final String DOC = """
      openapi: 3.0.3
      info: {title: t, version: '1'}
      paths: {}
      components:
        schemas:
          Report:
            type: object
            required: [cutoff, removed, teams]
            properties:
              cutoff: {type: string, format: date-time}
              removed: {type: integer}
              status: {type: string, enum: [ok, failed]}
              error: {type: string, nullable: true}
              teams:
                type: object
                additionalProperties:
                  type: object
                  required: [bytes]
                  properties: {bytes: {type: integer}}
              artifacts: {type: array, items: {type: string}}
      """;

  private static Schema<?> report() {
    ParseOptions options = new ParseOptions();
    options.setResolveFully(true);
    return new OpenAPIV3Parser().readContents(DOC, null, options).getOpenAPI()
        .getComponents().getSchemas().get("Report");
  }

  @Test
  void aBodyOfTheDocumentedShapeHasNoProblems() throws Exception {
    assertThat(ResponseSchema.problems(report(), Json.MAPPER.readTree("""
        {"cutoff":"2026-01-01T00:00:00Z","removed":2,"status":"ok","error":null,
         "teams":{"acme":{"bytes":3}},"artifacts":["acme/ab"],"extra":true}
        """))).isEmpty();
  }

  @Test
  void everyKindOfDifferenceIsReportedWithItsPath() throws Exception {
    assertThat(ResponseSchema.problems(report(), Json.MAPPER.readTree("""
        {"cutoff":1700000000000,"removed":"2","status":"maybe",
         "teams":{"acme":{}},"artifacts":[null]}
        """))).containsExactlyInAnyOrder(
            "$.cutoff should be a string: 1700000000000",
            "$.removed should be an integer: \"2\"",
            "$.status is 'maybe', not one of [ok, failed]",
            "$.teams.acme.bytes is required but missing",
            "$.artifacts[0] is null but not nullable");
    assertThat(ResponseSchema.problems(report(), Json.MAPPER.readTree("""
        {"cutoff":"yesterday","removed":1,"teams":{}}
        """))).containsExactly("$.cutoff is 'yesterday', not an RFC 3339 date-time");
    assertThat(ResponseSchema.problems(report(), Json.MAPPER.readTree("[]")))
        .containsExactly("$ should be an object: []");
  }
}
