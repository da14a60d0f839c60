package dev.turbocache.operator.contract;

import static dev.turbocache.operator.contract.UserSecrets.TEAM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.turbocache.operator.TestResources;
import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.api.v1alpha1.spec.JwtAuthSpec;
import dev.turbocache.operator.server.ServerConfigMap;
import dev.turbocache.operator.server.ServerDeployment;
import dev.turbocache.operator.server.ServerSecrets;
import dev.turbocache.server.app.CacheServer;
import dev.turbocache.server.e2e.FixtureRepo;
import dev.turbocache.server.e2e.TurboCli;
import dev.turbocache.server.e2e.TurboInstallation;
import dev.turbocache.server.e2e.TurboSummary;
import dev.turbocache.server.testing.TestHttp;
import dev.turbocache.server.testing.TestOidcIssuer;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code spec.auth.jwt} end to end: the server started from what the operator renders for a
 * TurboCache with the GitHub Actions rules (trusting a loopback OIDC issuer instead of GitHub's)
 * lets the real turbo CLI, given a job's identity token as its token, upload from the main
 * branch and read from a pull request, and refuses a job that no rule names; a token id revoked
 * later is refused by the running server.
 */
class RenderedJwtTurboTest {
  @BeforeAll
  static void installTurbo() {
    TurboInstallation.turboBinary();
  }

  @Test
  void aJobsTokenGetsWhatTheRenderedRulesGrant(@TempDir Path tmp) throws Exception {
    try (TestOidcIssuer issuer = TestOidcIssuer.start()) {
      TurboCache cr = trusting(issuer);
      RenderedPod pod = RenderedPod.of(cr, tmp.resolve("pod"));

      try (CacheServer server = CacheServer.start(pod.load())) {
        String api = "http://127.0.0.1:" + server.port();
        FixtureRepo repo = FixtureRepo.create(tmp.resolve("repo"));
        TurboCli main = turbo(repo, tmp, api,
            issuer.sign(issuer.githubClaims("acme", "app", "refs/heads/main", "push").build()));
        TurboSummary cold = RenderedServerTurboTest.build(main);
        assertThat(cold.tasks()).allSatisfy(t -> assertThat(t.isMiss()).as("%s", t).isTrue());

        repo.wipeLocalState();
        TurboCli pullRequest = turbo(repo, tmp, api,
            issuer.sign(issuer.githubClaims("acme", "app", "refs/pull/7/merge", "pull_request").build()));
        TurboSummary warm = RenderedServerTurboTest.build(pullRequest);
        assertThat(warm.hashes()).containsExactlyInAnyOrderElementsOf(cold.hashes());
        assertThat(warm.tasks()).allSatisfy(t -> assertThat(t.isRemoteHit()).as("%s", t).isTrue());

        repo.wipeLocalState();
        TurboCli stranger = turbo(repo, tmp, api,
            issuer.sign(issuer.githubClaims("mallory", "app", "refs/heads/main", "push").build()));
        TurboCli.Result refused = stranger.run("run", "build", "--summarize");
        assertThat(refused.exitCode()).as("%s", refused).isZero();
        assertThat(refused.output()).as("turbo reports the refusal").contains("403");
        assertThat(refused.summary().tasks()).as("%s", refused)
            .allSatisfy(t -> assertThat(t.isRemoteHit()).as("%s", t).isFalse());
      }
    }
  }

  /**
   * A leaked job token listed in {@code revokedTokenIds} after the pod started: once the kubelet
   * has synced the ConfigMap the operator renders, the running server refuses it, and the pods
   * were not rolled for it (the Deployment the operator renders is the same).
   */
  @Test
  void aTokenIdListedLaterIsRefusedByTheRunningServer(@TempDir Path tmp) throws Exception {
    try (TestOidcIssuer issuer = TestOidcIssuer.start()) {
      TurboCache cr = trusting(issuer);
      JwtAuthSpec jwt = cr.getSpec().auth.jwt;
      Deployment started = ServerDeployment.desired(cr, ServerSecrets.observe(cr, UserSecrets.of(cr)));
      RenderedPod pod = RenderedPod.of(cr, tmp.resolve("pod"));
      String leaked = issuer.sign(issuer.githubClaims("acme", "app", "refs/heads/main", "push").jwtID("leaked-job-1").build());

      try (CacheServer server = CacheServer.start(pod.load())) {
        HttpClient http = TestHttp.newClient();
        HttpRequest read = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
            + "/v8/artifacts/0123456789abcdef?slug=" + TEAM)).header("Authorization", "Bearer " + leaked).build();
        assertThat(TestHttp.send(http, read).statusCode()).as("a miss: the token is good").isEqualTo(404);

        jwt.revokedTokenIds = List.of("leaked-job-1");
        assertThat(ServerDeployment.desired(cr, ServerSecrets.observe(cr, UserSecrets.of(cr))))
            .as("no roll").isEqualTo(started);
        pod.sync(ServerConfigMap.desired(cr), UserSecrets.of(cr));

        await("the running server refuses it").atMost(Duration.ofSeconds(20))
            .until(() -> TestHttp.send(http, read).statusCode() == 401);
        assertThat(new String(TestHttp.send(http, read).body(), StandardCharsets.UTF_8)).contains("token_revoked");
      }
    }
  }

  /** A TurboCache with the GitHub Actions rules, trusting {@code issuer} instead of GitHub. */
  private static TurboCache trusting(TestOidcIssuer issuer) {
    TurboCache cr = TestResources.minimal();
    JwtAuthSpec jwt = TestResources.githubActionsJwt();
    jwt.issuers.getFirst().issuer = issuer.issuer();
    jwt.issuers.getFirst().audiences = List.of(TestOidcIssuer.AUDIENCE);
    cr.getSpec().auth.jwt = jwt;
    return cr;
  }

  private static TurboCli turbo(FixtureRepo repo, Path tmp, String api, String token) {
    return new TurboCli(repo.root(), tmp.resolve("turbo-home")).remote(api, token, TEAM);
  }
}
