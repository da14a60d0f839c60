package dev.turbocache.server.jar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.turbocache.server.http.Json;
import dev.turbocache.server.testing.JarCommand;
import dev.turbocache.server.testing.JwtServerJar;
import dev.turbocache.server.testing.KubeletVolume;
import dev.turbocache.server.testing.ServerJarProcess;
import dev.turbocache.server.testing.TestOidcIssuer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged server started by each test with JWT settings of its own: while a JWT waits for
 * its issuer's keys (one I/O thread, a slow issuer), no one else waits; new tokens over HTTP/2
 * and many at once; a token that expires while it is in use; token ids the configuration revokes
 * ({@code auth.jwt.revokedIds}); and the revoked ids file, as the operator mounts {@code
 * spec.auth.jwt.revokedTokenIds}, changing under a running server.
 */
class JwtSettingsJarIT {
  /** The issuer's timeout is far longer than a request here may take, so a held thread shows. */
  private static final String SLOW_ISSUER =
      "\"keysCacheTtl\": \"10m\", \"keysRefreshMinInterval\": \"1s\", \"httpTimeout\": \"60s\"";
  private static final Duration ANSWER = Duration.ofSeconds(20);
  private static final String REVOKED_IDS = "revoked-token-ids.txt";
  private static final String RELOADS = "turbocache_auth_jwt_revoked_ids_file_reloads_total";
  private static final String STALE = "turbocache_auth_file_stale{file=\"revoked-token-ids\"}";

  @TempDir Path dir;
  JwtServerJar jwt;

  @AfterEach
  void stop() {
    if (jwt != null) {
      jwt.close();
    }
  }

  @Test
  void aTokenWaitingForItsIssuersKeysHoldsNoOtherRequest() throws Exception {
    jwt = JwtServerJar.start(dir.resolve("server"), Map.of("TURBOCACHE_SERVER_IO_THREADS", "1"),
        SLOW_ISSUER);
    TestOidcIssuer issuer = jwt.issuer();
    ServerJarProcess server = jwt.server();
    assertThat(server.stdout()).contains("1 I/O thread");
    JWTClaimsSet claims = issuer.githubClaims("acme", "app", "refs/heads/main", "push").build();
    // The keys the server fetched at its start no longer hold the kid of the tokens signed now.
    issuer.rotate();
    String newKid = issuer.sign(claims);

    try (TestOidcIssuer.Hold hold = issuer.holdJwks()) {
      AtomicReference<CompletableFuture<HttpResponse<byte[]>>> waiting =
          new AtomicReference<>(server.sendAsync(get("b1", newKid)));
      await("the server asks the issuer for the keys of the new kid").atMost(Duration.ofSeconds(30))
          .until(() -> {
            if (!hold.asked() && waiting.get().isDone()) {
              // Refused at once: the start's fetch used up this second's share; ask again.
              waiting.set(server.sendAsync(get("b1", newKid)));
            }
            return hold.asked();
          });

      assertThat(server.send(get("b1", server.token())).statusCode())
          .as("a static token's GET on the one I/O thread").isEqualTo(404);
      assertThat(server.send(get("b2", server.token()).header("Content-Type", "application/octet-stream")
          .PUT(BodyPublishers.ofString("small"))).statusCode()).as("an upload").isEqualTo(202);
      assertThat(server.send(get("b2", issuer.signEs256(claims))).statusCode())
          .as("another new JWT, whose key the server has").isEqualTo(200);
      assertThat(waiting.get()).as("the token whose keys are on the way").isNotDone();
      assertThat(server.metric("turbocache_auth_jwt_verifications_pending")).isEqualTo("1.0");

      hold.release();
      HttpResponse<byte[]> answered = waiting.get().get(ANSWER.toSeconds(), TimeUnit.SECONDS);
      assertThat(answered.statusCode()).as("%s", new String(answered.body(), StandardCharsets.UTF_8))
          .isEqualTo(404);
      await("the verification threads are idle again").atMost(Duration.ofSeconds(10))
          .until(() -> server.metric("turbocache_auth_jwt_verifications_pending").equals("0.0"));
    }
  }

  /**
   * Over HTTP/2 too, a request whose new token is checked off the I/O thread comes back to it and
   * is served on the same connection: its upload body read afterwards, its hit sent.
   */
  @Test
  void overHttp2RequestsWithNewTokensAreAnsweredOnTheirConnection() throws Exception {
    jwt = JwtServerJar.start(dir.resolve("server"), Map.of(), SLOW_ISSUER);
    TestOidcIssuer issuer = jwt.issuer();
    byte[] artifact = new byte[300 * 1024];
    new Random(17).nextBytes(artifact);
    try (HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build()) {
      HttpResponse<byte[]> upgraded = h2.send(get("b3", newToken(issuer)).build(), BodyHandlers.ofByteArray());
      assertThat(upgraded.statusCode()).isEqualTo(404);
      for (int i = 0; i < 3; i++) {
        HttpResponse<byte[]> put = h2.send(get("c" + i, newToken(issuer))
            .header("Content-Type", "application/octet-stream").PUT(BodyPublishers.ofByteArray(artifact)).build(),
            BodyHandlers.ofByteArray());
        assertThat(put.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(put.statusCode()).as("%s", new String(put.body(), StandardCharsets.UTF_8)).isEqualTo(202);
        HttpResponse<byte[]> hit = h2.send(get("c" + i, newToken(issuer)).build(), BodyHandlers.ofByteArray());
        assertThat(hit.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(hit.statusCode()).isEqualTo(200);
        assertThat(hit.body()).isEqualTo(artifact);
      }
    }
  }

  /** Requests with 200 different new tokens at once: every one is checked and answered. */
  @Test
  void manyNewTokensAtOnceAreEachCheckedAndAnswered() throws Exception {
    jwt = JwtServerJar.start(dir.resolve("server"), Map.of(), SLOW_ISSUER);
    TestOidcIssuer issuer = jwt.issuer();
    ServerJarProcess server = jwt.server();
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      tokens.add(i % 2 == 0 ? newToken(issuer)
          : issuer.signEs256(issuer.githubClaims("acme", "app", "refs/heads/main", "push").build()));
    }
    List<CompletableFuture<HttpResponse<byte[]>>> answers = new ArrayList<>();
    for (String token : tokens) {
      answers.add(server.sendAsync(get("d0", token)));
    }
    for (CompletableFuture<HttpResponse<byte[]>> answer : answers) {
      HttpResponse<byte[]> r = answer.get(ANSWER.toSeconds(), TimeUnit.SECONDS);
      assertThat(r.statusCode()).as("%s", new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(404);
    }
    String metrics = new String(server.send(server.request("/metrics").GET()).body(), StandardCharsets.UTF_8);
    assertThat(metrics).contains("turbocache_auth_jwt_tokens_total{issuer=\"" + issuer.issuer()
        + "\",result=\"verified\"} 200.0");
    assertThat(server.stderr()).doesNotContain("Exception");
  }

  @Test
  void aListedTokenIdIsRefusedByEveryServerStartedWithTheList() throws IOException {
    jwt = JwtServerJar.start(dir.resolve("server"),
        Map.of("TURBOCACHE_AUTH_JWT_REVOKED_IDS", "leaked-job-1,leaked-job-2"));
    TestOidcIssuer issuer = jwt.issuer();
    String leaked = issuer.sign(issuer.githubClaims("acme", "app", "refs/heads/main", "push")
        .jwtID("leaked-job-2").build());
    String other = issuer.sign(issuer.githubClaims("acme", "app", "refs/heads/main", "push").build());

    HttpResponse<byte[]> refused = jwt.server().send(get("abc", leaked));
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(Json.MAPPER.readTree(refused.body()).path("error").path("code").asText()).isEqualTo("token_revoked");
    assertThat(jwt.server().send(get("abc", other)).statusCode()).as("a token not listed").isEqualTo(404);
    assertThat(jwt.server().metric("turbocache_auth_jwt_revoked")).isEqualTo("2.0");

    ServerJarProcess restarted = jwt.restart();
    JsonNode again = Json.MAPPER.readTree(restarted.send(get("abc", leaked)).body());
    assertThat(again.path("error").path("code").asText()).as("after a restart").isEqualTo("token_revoked");
  }

  /**
   * The revoked ids file laid out as the kubelet mounts a ConfigMap (the file a symlink through
   * {@code ..data}, each version a directory of its own): every version the kubelet swaps in is
   * in force on the running server within its reload interval, a bad version keeps the ids
   * before it, and a missing file stops the start.
   */
  @Test
  void theRevokedIdsFileRevokesOnTheRunningServerAsTheKubeletSwapsItsVersions() throws Exception {
    KubeletVolume mount = KubeletVolume.create(dir.resolve("revocations"), revokedIds("# token ids refused by every cache server\n"));
    jwt = JwtServerJar.start(dir.resolve("server"), Map.of(
        "TURBOCACHE_AUTH_JWT_REVOKED_IDS_FILE", mount.file(REVOKED_IDS).toString(),
        "TURBOCACHE_AUTH_RELOAD_INTERVAL", "200ms"));
    TestOidcIssuer issuer = jwt.issuer();
    ServerJarProcess server = jwt.server();
    String leaked = issuer.sign(issuer.githubClaims("acme", "app", "refs/heads/main", "push")
        .jwtID("leaked-job-3").build());
    assertThat(server.send(get("abc", leaked)).statusCode()).as("not listed yet").isEqualTo(404);

    mount.update(revokedIds("# token ids refused by every cache server\nleaked-job-3\n\nleaked-job-4\n"));
    await("the new version is in force").atMost(ANSWER).pollInterval(Duration.ofMillis(100))
        .until(() -> server.send(get("abc", leaked)).statusCode() == 401);
    assertThat(Json.MAPPER.readTree(server.send(get("abc", leaked)).body()).path("error").path("code").asText())
        .isEqualTo("token_revoked");
    assertThat(server.metric("turbocache_auth_jwt_revoked")).isEqualTo("2.0");
    assertThat(server.metric(RELOADS + "{result=\"success\"}")).isEqualTo("1.0");

    mount.update(revokedIds("x".repeat(257) + "\n"));
    await("the bad version is seen").atMost(ANSWER).pollInterval(Duration.ofMillis(100))
        .until(() -> server.metric(RELOADS + "{result=\"failure\"}").equals("1.0"));
    assertThat(server.send(get("abc", leaked)).statusCode()).as("still refused").isEqualTo(401);
    assertThat(server.stdout() + server.stderr()).contains("line 1 is 257 characters long");
    assertThat(server.metric(STALE)).as("the file on disk is not in force").isEqualTo("1.0");

    mount.update(revokedIds("leaked-job-4\n"));
    await("an id no longer listed is accepted again").atMost(ANSWER).pollInterval(Duration.ofMillis(100))
        .until(() -> server.send(get("abc", leaked)).statusCode() == 404);
    assertThat(server.metric(STALE)).isEqualTo("0.0");

    jwt.close();
    jwt = null;
    JarCommand.Result refused = JarCommand.run(dir.resolve("missing"), Map.of(
        "TURBOCACHE_AUTH_JWT_ISSUERS", issuer.settings(TestOidcIssuer.SHORT_KEY_TIMES).get("TURBOCACHE_AUTH_JWT_ISSUERS"),
        "TURBOCACHE_AUTH_JWT_REVOKED_IDS_FILE", dir.resolve("nowhere").resolve(REVOKED_IDS).toString()), "serve");
    assertThat(refused.exitCode()).as("%s", refused).isNotZero();
    assertThat(refused.stderr()).contains("auth.jwt.revokedIdsFile", "not found");
  }

  private static Map<String, byte[]> revokedIds(String content) {
    return Map.of(REVOKED_IDS, content.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A CI job's token that expires while turbo still sends it: refused from the moment it expires,
   * and neither then nor afterwards checked again, though every request brings it.
   */
  @Test
  void aTokenThatExpiresMidRunIsRefusedWithoutBeingCheckedAgain() throws Exception {
    jwt = JwtServerJar.start(dir.resolve("server"), Map.of(),
        TestOidcIssuer.SHORT_KEY_TIMES + ", \"clockSkew\": \"0s\"");
    TestOidcIssuer issuer = jwt.issuer();
    ServerJarProcess server = jwt.server();
    Instant now = Instant.now();
    String expiring = issuer.sign(issuer.githubClaims("acme", "app", "refs/heads/main", "push")
        .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(3))).build());

    assertThat(server.send(get("e0", expiring)).statusCode()).isEqualTo(404);
    String checked = server.metric("turbocache_auth_jwt_verifications_total");
    assertThat(checked).isEqualTo("1.0");
    await("the token expires").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
        .until(() -> server.send(get("e0", expiring)).statusCode() == 401);
    for (int i = 0; i < 10; i++) {
      HttpResponse<byte[]> refused = server.send(get("e0", expiring));
      assertThat(refused.statusCode()).isEqualTo(401);
      assertThat(Json.MAPPER.readTree(refused.body()).path("error").path("code").asText()).isEqualTo("token_expired");
    }
    assertThat(server.metric("turbocache_auth_jwt_verifications_total")).as("checked again").isEqualTo(checked);
  }

  /** A token the server has not seen: its signature is to be checked. */
  private static String newToken(TestOidcIssuer issuer) {
    return issuer.sign(issuer.githubClaims("acme", "app", "refs/heads/main", "push").build());
  }

  private HttpRequest.Builder get(String hash, String bearer) {
    return HttpRequest.newBuilder(URI.create(jwt.server().baseUrl() + "/v8/artifacts/" + hash + "?slug=acme"))
        .timeout(ANSWER).header("Authorization", "Bearer " + bearer);
  }
}
