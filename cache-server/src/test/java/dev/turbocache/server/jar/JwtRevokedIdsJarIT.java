package dev.turbocache.server.jar;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turbocache.server.http.Json;
import dev.turbocache.server.testing.JwtServerJar;
import dev.turbocache.server.testing.ServerJarProcess;
import dev.turbocache.server.testing.TestOidcIssuer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Token ids revoked by the configuration ({@code auth.jwt.revokedIds}), as the operator renders
 * {@code spec.auth.jwt.revokedTokenIds}: the packaged server refuses them from its start, and
 * after a restart with a data directory of its own, without Redis.
 */
class JwtRevokedIdsJarIT {
  @TempDir Path dir;
  JwtServerJar jwt;

  @AfterEach
  void stop() {
    if (jwt != null) {
      jwt.close();
    }
  }

  @Test
  void aListedTokenIdIsRefusedByEveryServerStartedWithTheList() throws IOException {
    jwt = JwtServerJar.start(dir.resolve("server"),
        Map.of("TURBOCACHE_AUTH_JWT_REVOKED_IDS", "leaked-job-1,leaked-job-2"));
    TestOidcIssuer issuer = jwt.issuer();
    String leaked = issuer.sign(issuer.githubClaims("acme", "app", "refs/heads/main", "push")
        .jwtID("leaked-job-2").build());
    String other = issuer.sign(issuer.githubClaims("acme", "app", "refs/heads/main", "push").build());

    HttpResponse<byte[]> refused = get(jwt.server(), leaked);
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(Json.MAPPER.readTree(refused.body()).path("error").path("code").asText()).isEqualTo("token_revoked");
    assertThat(get(jwt.server(), other).statusCode()).as("a token not listed").isEqualTo(404);
    assertThat(metric(jwt.server(), "turbocache_auth_jwt_revoked")).isEqualTo("2.0");

    ServerJarProcess restarted = jwt.restart();
    JsonNode again = Json.MAPPER.readTree(get(restarted, leaked).body());
    assertThat(again.path("error").path("code").asText()).as("after a restart").isEqualTo("token_revoked");
  }

  private static HttpResponse<byte[]> get(ServerJarProcess server, String token) {
    return server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v8/artifacts/abc?slug=acme"))
        .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token).GET());
  }

  private static String metric(ServerJarProcess server, String name) {
    String metrics = new String(server.send(server.request("/metrics").GET()).body(), StandardCharsets.UTF_8);
    return metrics.lines().filter(l -> l.startsWith(name + " ")).map(l -> l.substring(name.length() + 1))
        .findFirst().orElse("absent");
  }
}
