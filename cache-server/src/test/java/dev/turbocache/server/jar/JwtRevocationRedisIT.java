package dev.turbocache.server.jar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.turbocache.server.http.Json;
import dev.turbocache.server.testing.JarCommand;
import dev.turbocache.server.testing.RedisProcess;
import dev.turbocache.server.testing.ServerJarProcess;
import dev.turbocache.server.testing.TestOidcIssuer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two packaged servers sharing a real redis-server (tiers memory and redis): a JWT revoked on one
 * is refused by both within seconds, and by a third started afterwards.
 */
class JwtRevocationRedisIT {
  @TempDir Path dir;
  RedisProcess redis;
  TestOidcIssuer issuer;
  ServerJarProcess a;
  ServerJarProcess b;
  ServerJarProcess c;

  @AfterEach
  void stop() {
    for (ServerJarProcess server : new ServerJarProcess[] {a, b, c}) {
      if (server != null) {
        server.close();
      }
    }
    if (issuer != null) {
      issuer.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void aTokenRevokedOnOneReplicaIsRefusedOnEveryReplica() throws IOException {
    redis = RedisProcess.start(dir.resolve("redis"));
    issuer = TestOidcIssuer.start();
    a = replica("a");
    b = replica("b");
    JWTClaimsSet claims = issuer.githubClaims("acme", "app", "refs/heads/main", "push").build();
    String token = issuer.sign(claims);
    assertThat(status(a, token)).isEqualTo(404);
    assertThat(status(b, token)).isEqualTo(404);

    JarCommand.Result revoked = JarCommand.run(dir, Map.of("TURBO_API", a.baseUrl(), "TURBO_TOKEN", a.token()),
        "revoke", claims.getJWTID());
    assertThat(revoked.exitCode()).as("%s", revoked).isZero();
    assertThat(revoked.stdout()).startsWith("revoked token id " + claims.getJWTID() + " until ")
        .contains("every server using the same Redis refuses it");

    assertThat(code(a, token)).as("at once on the replica that revoked it").isEqualTo("token_revoked");
    await("the other replica refuses it").atMost(Duration.ofSeconds(10))
        .until(() -> "token_revoked".equals(code(b, token)));
    c = replica("c");
    assertThat(code(c, token)).as("a replica started afterwards").isEqualTo("token_revoked");
    assertThat(status(b, issuer.sign(issuer.githubClaims("acme", "app", "refs/heads/main", "push").build())))
        .as("another token").isEqualTo(404);
  }

  private ServerJarProcess replica(String name) {
    Map<String, String> settings = new HashMap<>(issuer.settings());
    settings.put("TURBOCACHE_STORAGE_TIERS", "memory,redis");
    settings.put("TURBOCACHE_STORAGE_REDIS_URI", "redis://127.0.0.1:" + redis.port());
    return ServerJarProcess.start(dir.resolve(name), settings);
  }

  private static HttpResponse<byte[]> get(ServerJarProcess server, String token) {
    return server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v8/artifacts/abc?slug=acme"))
        .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token).GET());
  }

  private static int status(ServerJarProcess server, String token) {
    return get(server, token).statusCode();
  }

  private static String code(ServerJarProcess server, String token) {
    try {
      JsonNode body = Json.MAPPER.readTree(get(server, token).body());
      return body.path("error").path("code").asText();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
