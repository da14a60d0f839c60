package dev.turbocache.server.jar;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.turbocache.server.e2e.FixtureRepo;
import dev.turbocache.server.e2e.TurboCli;
import dev.turbocache.server.e2e.TurboInstallation;
import dev.turbocache.server.e2e.TurboSummary;
import dev.turbocache.server.testing.JwtServerJar;
import dev.turbocache.server.testing.ServerJarProcess;
import dev.turbocache.server.testing.TestOidcIssuer;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real turbo CLI with a CI job's identity token as TURBO_TOKEN against the packaged server
 * trusting the job's (loopback) OIDC issuer with the GitHub Actions rules: a main-branch job
 * misses, uploads, and then hits; a pull request reads those hits but cannot upload; an expired
 * token gets nothing, and turbo warns of the 401 as it does of refused credentials.
 */
class TurboJwtJarIT {
  private static final String TEAM = "acme";

  @TempDir Path dir;
  JwtServerJar jwt;
  TestOidcIssuer issuer;
  ServerJarProcess server;
  FixtureRepo repo;

  @BeforeAll
  static void installTurbo() {
    TurboInstallation.turboBinary();
  }

  @BeforeEach
  void start() {
    jwt = JwtServerJar.start(dir.resolve("server"), Map.of());
    issuer = jwt.issuer();
    server = jwt.server();
    repo = FixtureRepo.create(dir.resolve("repo"));
  }

  @AfterEach
  void stop() {
    if (jwt != null) {
      jwt.close();
    }
  }

  @Test
  void aMainBranchJobUploadsAndHitsAndAPullRequestReadsButCannotUpload() {
    TurboCli main = turbo(issuer.sign(issuer.githubClaims("acme", "app", "refs/heads/main", "push").build()));
    TurboSummary cold = build(main).summary();
    assertThat(cold.tasks()).allSatisfy(t -> assertThat(t.isMiss()).as("%s", t).isTrue());
    assertThat(cold.hashes()).allSatisfy(h -> assertThat(stored(h)).as("uploaded %s", h).isTrue());

    repo.wipeLocalState();
    assertRemoteHits(build(main), cold.hashes());

    TurboCli pullRequest = turbo(issuer.sign(
        issuer.githubClaims("acme", "app", "refs/pull/7/merge", "pull_request").build()));
    repo.wipeLocalState();
    assertRemoteHits(build(pullRequest), cold.hashes());

    repo.write("packages/a/input.txt", "a pull request's change\n");
    TurboCli.Result poisoning = build(pullRequest);
    List<String> changed = poisoning.summary().tasks().stream()
        .filter(TurboSummary.Task::isMiss).map(TurboSummary.Task::hash).toList();
    assertThat(changed).as("%s", poisoning).isNotEmpty();
    assertThat(changed).allSatisfy(h -> assertThat(stored(h)).as("a pull request's upload %s", h).isFalse());
    assertThat(poisoning.output()).as("turbo reports the refused upload").contains("403");
  }

  @Test
  void anExpiredTokenGetsNoCacheAndTurboWarnsOfThe401() {
    Instant now = Instant.now();
    JWTClaimsSet expired = issuer.githubClaims("acme", "app", "refs/heads/main", "push")
        .issueTime(Date.from(now.minusSeconds(1200))).notBeforeTime(Date.from(now.minusSeconds(1200)))
        .expirationTime(Date.from(now.minusSeconds(600))).build();
    TurboCli.Result r = build(turbo(issuer.sign(expired)));
    // turbo 2.11 reports refused credentials as a warning per request and runs the tasks.
    assertThat(r.stderr()).as("%s", r).contains("failed to contact remote cache")
        .contains("401 Unauthorized");
    assertThat(r.summary().tasks()).allSatisfy(t -> assertThat(t.isMiss()).as("%s", t).isTrue());
    assertThat(r.summary().hashes()).allSatisfy(h -> assertThat(stored(h)).isFalse());
  }

  private TurboCli turbo(String jwt) {
    return new TurboCli(repo.root(), dir.resolve("turbo-home")).remote(server.baseUrl(), jwt, TEAM);
  }

  private static TurboCli.Result build(TurboCli cli) {
    TurboCli.Result r = cli.run("run", "build", "--summarize");
    assertThat(r.timedOut()).as("%s", r).isFalse();
    assertThat(r.exitCode()).as("%s", r).isZero();
    return r;
  }

  private static void assertRemoteHits(TurboCli.Result r, List<String> hashes) {
    TurboSummary s = r.summary();
    assertThat(s.hashes()).as("%s", r).containsExactlyInAnyOrderElementsOf(hashes);
    assertThat(s.tasks()).as("%s", r).allSatisfy(t -> assertThat(t.isRemoteHit()).as("%s", t).isTrue());
  }

  /** Whether the server holds {@code hash} for the team (asked with the static admin token). */
  private boolean stored(String hash) {
    return server.send(server.request("/v8/artifacts/" + hash + "?slug=" + TEAM)
        .method("HEAD", BodyPublishers.noBody())).statusCode() == 200;
  }

}
