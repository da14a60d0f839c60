package dev.turbocache.server.jar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import dev.turbocache.server.http.Json;
import dev.turbocache.server.testing.JarCommand;
import dev.turbocache.server.testing.JwtServerJar;
import dev.turbocache.server.testing.ServerJarProcess;
import dev.turbocache.server.testing.TestOidcIssuer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.nio.file.Path;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged server trusting a loopback OIDC issuer (discovery, then its JWKS) with the GitHub
 * Actions rules, next to its generated static token: what each token may do, every bad token's
 * 401 and reason, key rotation, an issuer outage with cached keys, a flood of unknown kids, and
 * revocation that survives a restart.
 */
class JwtAuthJarIT {
  private static final byte[] BODY = "artifact".getBytes(StandardCharsets.UTF_8);

  @TempDir Path dir;
  JwtServerJar jwt;
  TestOidcIssuer issuer;
  ServerJarProcess server;

  @BeforeEach
  void start() {
    jwt = JwtServerJar.start(dir.resolve("server"), Map.of());
    issuer = jwt.issuer();
    server = jwt.server();
  }

  @AfterEach
  void stop() {
    if (jwt != null) {
      jwt.close();
    }
  }

  @Test
  void rulesGrantTeamsAndAccessFromClaimsAndStaticTokensStillWork() {
    String main = issuer.sign(issuer.githubClaims("acme", "app", "refs/heads/main", "push").build());
    String pullRequest = issuer.sign(
        issuer.githubClaims("acme", "app", "refs/pull/7/merge", "pull_request").build());
    String fork = issuer.sign(issuer.githubClaims("mallory", "app", "refs/heads/main", "push").build());
    String web = issuer.signEs256(issuer.githubClaims("web", "site", "refs/heads/dev", "push").build());

    assertThat(put("a1", "acme", main).statusCode()).as("main branch uploads").isEqualTo(202);
    assertThat(get("a1", "acme", main).statusCode()).isEqualTo(200);
    assertThat(get("a1", "acme", pullRequest).statusCode()).as("a pull request reads").isEqualTo(200);
    HttpResponse<byte[]> refused = put("a2", "acme", pullRequest);
    assertThat(refused.statusCode()).as("a pull request may not upload").isEqualTo(403);
    assertThat(error(refused).path("message").asText()).contains("read-only");
    HttpResponse<byte[]> noRule = get("a1", "acme", fork);
    assertThat(noRule.statusCode()).as("no rule matches another owner").isEqualTo(403);
    assertThat(error(noRule).path("message").asText()).contains("no access rule");
    assertThat(get("a1", "web", web).statusCode()).as("team from the {repository_owner} template")
        .isEqualTo(404);
    assertThat(get("a1", "acme", web).statusCode()).as("and only that team").isEqualTo(403);
    assertThat(put("a3", "acme", server.token()).statusCode()).as("the static token").isEqualTo(202);

    JsonNode line = server.jsonLogLines().stream()
        .filter(l -> "access".equals(l.path("type").asText()) && l.path("status").asInt() == 202
            && l.path("path").asText().endsWith("/a1"))
        .findFirst().orElseThrow();
    assertThat(line.path("issuer").asText()).isEqualTo(issuer.issuer());
    assertThat(line.path("subject").asText()).isEqualTo("repo:acme/app:ref:refs/heads/main");
    assertThat(server.stdout()).doesNotContain(main).doesNotContain(pullRequest);
    assertThat(metrics()).contains("turbocache_auth_jwt_tokens_total{issuer=\"" + issuer.issuer()
        + "\",result=\"verified\"}");
  }

  @Test
  void everyBadTokenIsA401NamingTheReason() {
    Instant now = Instant.now();
    JWTClaimsSet good = issuer.githubClaims("acme", "app", "refs/heads/main", "push").build();
    String valid = issuer.sign(good);
    String[] parts = valid.split("\\.");
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put("token_malformed", "abc.def");
    cases.put("token_malformed ", "!!!.@@@.###");
    cases.put("token_too_large", valid + ".".repeat(1) + "A".repeat(9000));
    cases.put("token_encrypted", Base64URL.encode("{\"alg\":\"RSA-OAEP-256\",\"enc\":\"A256GCM\"}")
        + ".AAAA.AAAA.AAAA.AAAA");
    cases.put("token_nested", issuer.sign(new JWSHeader.Builder(JWSAlgorithm.RS256).contentType("JWT"), good));
    cases.put("unknown_key", issuer.signWithKid("no-such-kid", good));
    cases.put("token_expired", issuer.sign(new JWTClaimsSet.Builder(good)
        .issueTime(Date.from(now.minusSeconds(1200))).expirationTime(Date.from(now.minusSeconds(600))).build()));
    cases.put("token_not_yet_valid", issuer.sign(new JWTClaimsSet.Builder(good)
        .notBeforeTime(Date.from(now.plusSeconds(600))).build()));
    cases.put("unknown_issuer", issuer.sign(new JWTClaimsSet.Builder(good).issuer("https://evil.example").build()));
    cases.put("unknown_issuer ", issuer.sign(new JWTClaimsSet.Builder(good).issuer(null).build()));
    cases.put("wrong_audience", issuer.sign(new JWTClaimsSet.Builder(good).audience("https://other.example").build()));
    cases.put("token_unsigned", new PlainJWT(good).serialize());
    cases.put("invalid_signature", parts[0] + "." + Base64URL.encode(new JWTClaimsSet.Builder(good)
        .claim("repository_owner", "mallory").build().toString()) + "." + parts[2]);
    cases.put("algorithm_not_allowed", Base64URL.encode("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "."
        + parts[1] + "." + parts[2]);
    cases.put("token_lifetime_too_long", issuer.sign(new JWTClaimsSet.Builder(good)
        .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(Duration.ofHours(48)))).build()));
    cases.put("missing_claim", issuer.sign(new JWTClaimsSet.Builder(good).subject(null).build()));

    SoftAssertions soft = new SoftAssertions();
    cases.forEach((code, token) -> {
      HttpResponse<byte[]> r = get("a1", "acme", token);
      soft.assertThat(r.statusCode()).as("%s: %s", code, body(r)).isEqualTo(401);
      soft.assertThat(error(r).path("code").asText()).as("code of %s", code).isEqualTo(code.strip());
      soft.assertThat(error(r).path("message").asText()).as("message of %s", code).isNotBlank();
      soft.assertThat(body(r)).as("the answer to %s holds no token", code).doesNotContain(token);
    });
    soft.assertAll();

    // Asked again: the same answers, and only the tokens that may yet pass are checked again.
    String checked = server.metric("turbocache_auth_jwt_verifications_total");
    cases.forEach((code, token) -> {
      HttpResponse<byte[]> r = get("a1", "acme", token);
      soft.assertThat(r.statusCode()).as("%s again: %s", code, body(r)).isEqualTo(401);
      soft.assertThat(error(r).path("code").asText()).as("code of %s again", code).isEqualTo(code.strip());
    });
    soft.assertAll();
    assertThat(Double.parseDouble(server.metric("turbocache_auth_jwt_verifications_total"))
        - Double.parseDouble(checked)).as("checked again: unknown_key and token_not_yet_valid").isEqualTo(2.0);
    assertThat(get("a1", "acme", valid).statusCode()).as("the untampered token").isEqualTo(404);
    assertThat(server.stderr()).doesNotContain("Exception");
  }

  @Test
  void rotatedKeysAreFetchedOnTheirFirstKidAndTheOldKidIsRefusedThen() {
    String before = issuer.sign(issuer.githubClaims("acme", "app", "refs/heads/main", "push").build());
    assertThat(get("e1", "acme", before).statusCode()).isEqualTo(404);

    issuer.rotate();
    String after = issuer.sign(issuer.githubClaims("acme", "app", "refs/heads/main", "push").build());
    // Fetches are limited to two per keysRefreshMinInterval (1 s here), and the start and the first
    // token may have spent them: the new kid is accepted once the interval allows a fetch.
    await("the new kid fetches the new JWKS").atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(get("e1", "acme", after).statusCode()).isEqualTo(404));
    HttpResponse<byte[]> old = get("e1", "acme",
        issuer.signWithPreviousKey(issuer.githubClaims("acme", "app", "refs/heads/main", "push").build()));
    assertThat(old.statusCode()).as("the rotated-out kid: %s", body(old)).isEqualTo(401);
    assertThat(error(old).path("code").asText()).isEqualTo("unknown_key");
  }

  @Test
  void aFloodOfUnknownKidsFetchesTheKeysOnlyAFewTimes() {
    JWTClaimsSet claims = issuer.githubClaims("acme", "app", "refs/heads/main", "push").build();
    assertThat(get("f1", "acme", issuer.sign(claims)).statusCode()).isEqualTo(404);
    int before = issuer.jwksRequests();
    for (int i = 0; i < 100; i++) {
      HttpResponse<byte[]> r = get("f1", "acme", issuer.signWithKid(UUID.randomUUID().toString(), claims));
      assertThat(r.statusCode()).isEqualTo(401);
      assertThat(error(r).path("code").asText()).isEqualTo("unknown_key");
    }
    // Two fetches per keysRefreshMinInterval (1 s) at most, however long the flood took.
    assertThat(issuer.jwksRequests() - before).as("JWKS fetches for 100 unknown kids").isLessThan(20);
  }

  @Test
  void anUnreachableIssuerIsReportedWhileItsCachedKeysKeepVerifying() {
    String token = issuer.sign(issuer.githubClaims("acme", "app", "refs/heads/main", "push").build());
    assertThat(get("d1", "acme", token).statusCode()).isEqualTo(404);
    assertThat(issuerStatus().path("reachable").asBoolean()).isTrue();

    issuer.stop();
    await("readiness says the issuer is unreachable").atMost(Duration.ofSeconds(30))
        .until(() -> issuerStatus().path("reachable").asText().equals("false"));
    assertThat(metrics()).contains("turbocache_auth_jwt_issuer_up{issuer=\"" + issuer.issuer() + "\"} 0.0");
    HttpResponse<byte[]> ready = server.send(server.request("/healthz/ready").GET());
    assertThat(ready.statusCode()).as("the server stays ready").isEqualTo(200);
    assertThat(get("d1", "acme", token).statusCode()).as("cached keys verify").isEqualTo(404);
    assertThat(get("d1", "acme", issuer.sign(issuer.githubClaims("acme", "app", "refs/heads/main", "push")
        .build())).statusCode()).as("new tokens with a known kid too").isEqualTo(404);

    issuer.restart();
    await("readiness says the issuer is back").atMost(Duration.ofSeconds(30))
        .until(() -> get("d1", "acme", token).statusCode() == 404
            && issuerStatus().path("reachable").asBoolean());
    assertThat(metrics()).contains("turbocache_auth_jwt_issuer_up{issuer=\"" + issuer.issuer() + "\"} 1.0");
  }

  @Test
  void anIssuerDownSinceStartupIs503UntilItsKeysCanBeFetched() {
    issuer.stop();
    server = jwt.restart();
    String token = issuer.sign(issuer.githubClaims("acme", "app", "refs/heads/main", "push").build());
    for (int i = 0; i < 5; i++) {
      HttpResponse<byte[]> r = get("d2", "acme", token);
      assertThat(r.statusCode()).as("%s", body(r)).isEqualTo(503);
      assertThat(error(r).path("code").asText()).isEqualTo("issuer_unavailable");
    }
    assertThat(issuerStatus().path("reachable").asText()).isEqualTo("false");
    assertThat(issuerStatus().path("keys").asInt()).isZero();

    issuer.restart();
    await("the keys are fetched once the issuer is up").atMost(Duration.ofSeconds(30))
        .until(() -> get("d2", "acme", token).statusCode() == 404);
  }

  @Test
  void aRevokedTokenIsRefusedAndStaysRevokedAfterARestart() {
    JWTClaimsSet claims = issuer.githubClaims("acme", "app", "refs/heads/main", "push").build();
    String token = issuer.sign(claims);
    assertThat(put("c1", "acme", token).statusCode()).isEqualTo(202);

    HttpResponse<byte[]> forbidden = revoke(token, claims.getJWTID());
    assertThat(forbidden.statusCode()).as("a readwrite JWT may not revoke").isEqualTo(403);
    HttpResponse<byte[]> revoked = revoke(server.token(), claims.getJWTID());
    assertThat(revoked.statusCode()).as("%s", body(revoked)).isEqualTo(200);
    assertThat(json(revoked).path("jti").asText()).isEqualTo(claims.getJWTID());
    assertThat(json(revoked).path("scope").asText()).as("no redis tier").isEqualTo("this-server");

    HttpResponse<byte[]> refused = get("c1", "acme", token);
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(error(refused).path("code").asText()).isEqualTo("token_revoked");
    assertThat(get("c1", "acme", issuer.sign(issuer.githubClaims("acme", "app", "refs/heads/main", "push")
        .build())).statusCode()).as("another token of the same job").isEqualTo(200);

    JWTClaimsSet second = issuer.githubClaims("acme", "app", "refs/heads/main", "push").build();
    String secondToken = issuer.sign(second);
    assertThat(get("c1", "acme", secondToken).statusCode()).isEqualTo(200);
    JarCommand.Result cli = JarCommand.run(dir, Map.of("TURBO_API", server.baseUrl(), "TURBO_TOKEN",
        server.token()), "revoke", second.getJWTID());
    assertThat(cli.exitCode()).as("%s", cli).isZero();
    assertThat(cli.stdout()).startsWith("revoked token id " + second.getJWTID() + " until ")
        .contains("only the server at " + server.baseUrl() + " refuses it");
    assertThat(error(get("c1", "acme", secondToken)).path("code").asText()).as("revoked by the CLI")
        .isEqualTo("token_revoked");

    server = jwt.restart();
    assertThat(error(get("c1", "acme", token)).path("code").asText()).as("after a restart")
        .isEqualTo("token_revoked");
  }

  private HttpResponse<byte[]> revoke(String bearer, String jti) {
    return server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/admin/tokens/revoke"))
        .header("Authorization", "Bearer " + bearer).header("Content-Type", "application/json")
        .POST(BodyPublishers.ofString("{\"jti\":\"" + jti + "\"}")));
  }

  private JsonNode issuerStatus() {
    return json(server.send(server.request("/healthz/ready").GET())).path("jwtIssuers").path(0);
  }

  private String metrics() {
    return body(server.send(server.request("/metrics").GET()));
  }

  private HttpResponse<byte[]> get(String hash, String team, String bearer) {
    return server.send(artifact(hash, team, bearer).GET());
  }

  private HttpResponse<byte[]> put(String hash, String team, String bearer) {
    return server.send(artifact(hash, team, bearer)
        .header("Content-Type", "application/octet-stream").PUT(BodyPublishers.ofByteArray(BODY)));
  }

  private HttpRequest.Builder artifact(String hash, String team, String bearer) {
    return HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v8/artifacts/" + hash + "?slug=" + team))
        .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + bearer);
  }

  private static JsonNode error(HttpResponse<byte[]> r) {
    return json(r).path("error");
  }

  private static JsonNode json(HttpResponse<byte[]> r) {
    try {
      return Json.MAPPER.readTree(r.body());
    } catch (java.io.IOException e) {
      throw new AssertionError("not JSON: " + body(r), e);
    }
  }

  private static String body(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }
}
