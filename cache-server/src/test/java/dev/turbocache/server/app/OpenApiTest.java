package dev.turbocache.server.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turbocache.server.http.RouteTable;
import dev.turbocache.server.testing.TestServer;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /openapi.json is valid OpenAPI 3 and describes exactly the routes the server registers. */
class OpenApiTest {
  @TempDir Path dir;

  @Test
  void documentIsValidAndMatchesTheRouteTable() {
    try (TestServer server = TestServer.start(dir)) {
      HttpResponse<byte[]> r = server.get("/openapi.json", null);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("content-type")).hasValue("application/json");

      ParseOptions options = new ParseOptions();
      options.setResolve(true);
      SwaggerParseResult parsed = new OpenAPIV3Parser()
          .readContents(new String(r.body(), StandardCharsets.UTF_8), null, options);
      assertThat(parsed.getMessages()).as("OpenAPI parser messages").isEmpty();
      OpenAPI api = parsed.getOpenAPI();
      assertThat(api).isNotNull();
      assertThat(api.getOpenapi()).startsWith("3.");

      Set<String> documented = new TreeSet<>();
      api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, op) -> {
        documented.add(method.name() + " " + path);
        assertThat(op.getResponses()).as("responses of %s %s", method, path).isNotEmpty();
      }));
      Set<String> registered = new TreeSet<>();
      for (RouteTable.Route route : server.server().routes()) {
        registered.add(route.method() + " " + route.template());
      }
      assertThat(registered).as("routes the server registers").hasSizeGreaterThan(20);
      assertThat(documented).isEqualTo(registered);
    }
  }

  @Test
  void everyRegisteredRouteAnswersSomethingOtherThan404NoSuchRoute() {
    try (TestServer server = TestServer.start(dir)) {
      for (RouteTable.Route route : server.server().routes()) {
        String path = route.template().replace("{hash}", "ab").replace("{id}", "team_acme")
            .replace("{team}", "acme").replace("{tier}", "memory");
        var req = server.request(path + "?slug=acme", null)
            .method(route.method(), java.net.http.HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<byte[]> r = server.send(req);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).as("%s", route).doesNotContain("no such route");
        assertThat(r.statusCode()).as("%s", route).isNotEqualTo(405);
      }
    }
  }

  /** Guards the comparison itself: a route missing from the document would be caught. */
  @Test
  void aRouteMissingFromTheDocumentIsNoticed() {
    RouteTable table = new RouteTable().add(io.undertow.util.Methods.GET, "/v9/nowhere",
        dev.turbocache.server.http.Handling.ioThread(dev.turbocache.server.http.Access.anyone(), ex -> {}));
    OpenAPI api = new OpenAPIV3Parser().readContents(
        dev.turbocache.server.http.OpenApiHandler.document().toString(), null, new ParseOptions()).getOpenAPI();
    PathItem item = api.getPaths().get(table.routes().getFirst().template());
    assertThat(item).isNull();
  }
}
